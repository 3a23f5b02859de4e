"""Writing chains: prompts, evidence, the chains themselves, review and export."""
