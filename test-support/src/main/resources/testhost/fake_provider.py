#!/usr/bin/env python3
"""A fake upstream LLM provider with OpenAI's chat completions API, for tests that run the
real LiteLLM: LiteLLM routes a model to it through `api_base: http://127.0.0.1:PORT/v1`.

POST /v1/chat/completions answers "echo: <last user message>" as one completion or, with
"stream": true, as server-sent events (one chunk per word, at least 6, --chunk-seconds apart,
then [DONE]). GET /v1/models
lists the models asked for so far. Every request is recorded as one JSON line in --record
(path, model, stream, the SHA-256 of the Authorization header's bearer key, never the key).
Like a real provider, it refuses a key that starts with "sk-fake-revoked" (401, invalid_api_key)
and a model whose name starts with "renamed-" (404, model_not_found).
"""
import argparse
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self, body):
        auth = self.headers.get("Authorization", "")
        key = auth[len("Bearer "):] if auth.startswith("Bearer ") else auth
        line = {"path": self.path, "model": body.get("model"), "stream": bool(body.get("stream")),
                "key_sha256": hashlib.sha256(key.encode()).hexdigest() if key else None}
        with LOCK, open(self.server.record, "a", encoding="utf-8") as f:
            f.write(json.dumps(line) + "\n")

    def send_json(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path.rstrip("/") in ("/v1/models", "/models"):
            self.send_json(200, {"object": "list", "data": [{"id": "echo-1", "object": "model", "owned_by": "fake"}]})
        else:
            self.send_json(404, {"error": {"message": "not found"}})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self.send_json(400, {"error": {"message": "body is not JSON"}})
            return
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self.send_json(404, {"error": {"message": "not found"}})
            return
        self.record(body)
        if not self.headers.get("Authorization", "").startswith("Bearer "):
            self.send_json(401, {"error": {"message": "no api key", "type": "invalid_request_error"}})
            return
        if self.headers.get("Authorization", "")[len("Bearer "):].startswith("sk-fake-revoked"):
            self.send_json(401, {"error": {"message": "Incorrect API key provided: sk-fake-re****", "type": "invalid_request_error",
                                           "code": "invalid_api_key"}})
            return
        if str(body.get("model", "")).startswith("renamed-"):
            self.send_json(404, {"error": {"message": "The model `%s` does not exist or you do not have access to it." % body.get("model"),
                                           "type": "invalid_request_error", "code": "model_not_found"}})
            return
        messages = body.get("messages") or [{}]
        text = "echo: " + str(messages[-1].get("content", ""))
        model = body.get("model", "echo-1")
        created = int(time.time())
        if body.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            words = text.split(" ")
            words += ["."] * max(0, 6 - len(words))
            for i, word in enumerate(words):
                chunk = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": created, "model": model,
                         "choices": [{"index": 0, "delta": ({"role": "assistant"} if i == 0 else {}) | {"content": (" " if i else "") + word},
                                      "finish_reason": None}]}
                self.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
                self.wfile.flush()
                time.sleep(self.server.chunk_seconds)
            done = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": created, "model": model,
                    "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
            self.wfile.write(b"data: " + json.dumps(done).encode() + b"\n\ndata: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True
            return
        self.send_json(200, {
            "id": "chatcmpl-fake", "object": "chat.completion", "created": created, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 3, "completion_tokens": len(text.split()), "total_tokens": 3 + len(text.split())},
        })


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--record", required=True)
    parser.add_argument("--chunk-seconds", type=float, default=0.0)
    args = parser.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    server.record = args.record
    server.chunk_seconds = args.chunk_seconds
    server.serve_forever()


if __name__ == "__main__":
    main()
