"""Chinese text as ipwriter reads it: the number grammar, the unit and modifier
vocabulary, sentence and clause splitting, the marks written into drafts, and
the shared jieba instance. No module here imports anything above it."""
