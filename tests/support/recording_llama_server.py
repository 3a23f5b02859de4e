"""``python -m llama_cpp.server`` with a recording tap, for tests.

Runs llama-cpp-python's own server entry point unchanged, except that the
ASGI app is wrapped so every request (method, path, auth header, JSON body)
is appended to the JSONL file named by ``RECORD_FILE``. Tests then assert
what the server actually received. Also registers ipwriter's Gemma 3 chat
format (the packaged GGUF carries no chat template).

Usage: python recording_llama_server.py --model X.gguf --port N --chat_format ipwriter-gemma3
"""

from __future__ import annotations

import json
import os

import llama_cpp.server.__main__ as server_main

from ipwriter.llm.local import register_chat_format


class RecordingMiddleware:
    def __init__(self, app, path: str) -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        headers = {k.decode().lower(): v.decode() for k, v in scope.get("headers", [])}
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = body.decode("utf-8", "replace")
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"method": scope["method"], "path": scope["path"],
                                 "authorization": headers.get("authorization"),
                                 "body": parsed}, ensure_ascii=False) + "\n")
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)


def main() -> None:
    register_chat_format()
    record = os.environ["RECORD_FILE"]
    original = server_main.create_app

    def create_app(*args, **kwargs):
        return RecordingMiddleware(original(*args, **kwargs), record)

    server_main.create_app = create_app
    server_main.main()


if __name__ == "__main__":
    main()
