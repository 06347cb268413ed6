#!/usr/bin/env python3
"""A small stand-in for the LiteLLM proxy, for litellm-deploy's tests and demo.

The real proxy (PyPI) cannot be downloaded where the tests run. This program keeps the
parts of LiteLLM's behaviour a deployer depends on:
  * `--config FILE --host H --port N` on the command line (other flags are accepted);
  * it refuses to start, exit 1 with the reason on stderr, when the config cannot be
    parsed, has no model_list, or has an entry without model_name / litellm_params.model;
  * `environment_variables:` are exported, `os.environ/NAME` values are resolved;
  * GET /health/liveliness and /health/readiness (no auth), GET /v1/models and /models
    (Bearer general_settings.master_key when one is set; lists model_name values once each
    in config order), GET /health (auth; in LiteLLM it calls every model and costs money,
    so every call is logged as PAID), POST /v1/chat/completions (auth; "stream": true
    answers with server-sent events, one chunk every LITELLM_STANDIN_CHUNK_SECONDS).
Knobs for tests: LITELLM_STANDIN_READY_DELAY (seconds readiness answers 503 after start),
LITELLM_STANDIN_STOP_DELAY (seconds between SIGTERM and shutting down: a slow stop),
LITELLM_STANDIN_CRASH_AFTER (seconds after start the process dies with exit 3).
"""
import argparse
import json
import os
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import yaml

VERSION = os.environ.get("LITELLM_STANDIN_VERSION", "0.0.0-standin")


def fail(message):
    print(f"Exception: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def resolve(value):
    if isinstance(value, str) and value.startswith("os.environ/"):
        name = value[len("os.environ/"):]
        if name not in os.environ:
            fail(f"environment variable {name} referenced by the config is not set")
        return os.environ[name]
    return value


# Models whose litellm_params.api_key starts with sk-fake-revoked: a chat completion to them answers 401, as the real
# LiteLLM does when the provider refuses the key (RealLiteLlmDeployTest proves that with the real LiteLLM); for the
# canary tests, which need several hosts.
REVOKED = set()


def load_config(path):
    try:
        with open(path, encoding="utf-8") as f:
            config = yaml.safe_load(f)
    except OSError as e:
        fail(f"cannot read config file {path}: {e.strerror}")
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        fail(f"config file {path} is not valid YAML{where}")
    if not isinstance(config, dict):
        fail(f"config file {path} is not a mapping")
    for key, value in (config.get("environment_variables") or {}).items():
        os.environ[str(key)] = str(value)
    models = config.get("model_list")
    if not isinstance(models, list) or not models:
        fail(f"config file {path} has no model_list")
    names = []
    for i, entry in enumerate(models):
        if not isinstance(entry, dict) or not entry.get("model_name"):
            fail(f"model_list[{i}] has no model_name")
        params = entry.get("litellm_params")
        if not isinstance(params, dict) or not params.get("model"):
            fail(f"model_list[{i}] ({entry['model_name']}) has no litellm_params.model")
        if entry["model_name"] not in names:
            names.append(entry["model_name"])
        if str(resolve(params.get("api_key")) or "").startswith("sk-fake-revoked"):
            REVOKED.add(entry["model_name"])
    general = config.get("general_settings") or {}
    master_key = resolve(general.get("master_key")) or os.environ.get("LITELLM_MASTER_KEY")
    return names, master_key


class Proxy(BaseHTTPRequestHandler):
    server_version = "litellm-standin"
    protocol_version = "HTTP/1.1"
    # Like uvicorn (LiteLLM's server): an idle keep-alive connection is closed after 5 s, and on
    # SIGTERM idle connections close at once while requests in flight finish.
    timeout = 5
    waiting = set()
    waiting_lock = threading.Lock()
    stopping = False

    def handle_one_request(self):
        with Proxy.waiting_lock:
            if Proxy.stopping:
                self.close_connection = True
                return
            Proxy.waiting.add(self.connection)
        try:
            super().handle_one_request()
        except OSError:
            self.close_connection = True
        finally:
            with Proxy.waiting_lock:
                Proxy.waiting.discard(self.connection)
        if Proxy.stopping:
            self.close_connection = True

    def parse_request(self):
        with Proxy.waiting_lock:
            Proxy.waiting.discard(self.connection)
        return super().parse_request()

    @classmethod
    def stop_idle(cls):
        with cls.waiting_lock:
            cls.stopping = True
            for connection in list(cls.waiting):
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
    names = []
    master_key = None
    started = time.monotonic()
    ready_delay = float(os.environ.get("LITELLM_STANDIN_READY_DELAY", "0"))
    chunk_seconds = float(os.environ.get("LITELLM_STANDIN_CHUNK_SECONDS", "0.5"))

    def log_message(self, fmt, *args):  # request line + status, never headers
        print(f"INFO:     {self.address_string()} - {fmt % args}", file=sys.stderr, flush=True)

    def send_json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def authorized(self):
        if not self.master_key:
            return True
        given = self.headers.get("Authorization", "")
        if given.startswith("Bearer "):
            given = given[len("Bearer "):]
        given = given or self.headers.get("x-litellm-api-key", "")
        if given == self.master_key:
            return True
        message = "Authentication Error, No api key passed in." if not given else "Authentication Error, Invalid proxy server token passed."
        self.send_json(401, {"error": {"message": message, "type": "auth_error", "param": "None", "code": "401"}})
        return False

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path in ("/health/liveliness", "/health/liveness"):
            self.send_json(200, "I'm alive!")
        elif path == "/health/readiness":
            if time.monotonic() - self.started < self.ready_delay:
                self.send_json(503, {"status": "starting"})
            else:
                self.send_json(200, {"status": "healthy", "db": "Not connected", "cache": None,
                                     "litellm_version": VERSION, "success_callbacks": []})
        elif path in ("/v1/models", "/models"):
            if self.authorized():
                self.send_json(200, {"object": "list", "data": [
                    {"id": n, "object": "model", "created": 1677610602, "owned_by": "openai"} for n in self.names]})
        elif path == "/health":
            print("WARNING:  PAID /health called: LiteLLM would call every model now", file=sys.stderr, flush=True)
            if self.authorized():
                self.send_json(200, {"healthy_endpoints": [{"model": n} for n in self.names],
                                     "unhealthy_endpoints": [], "healthy_count": len(self.names), "unhealthy_count": 0})
        else:
            self.send_json(404, {"detail": "Not Found"})

    def do_POST(self):
        path = self.path.split("?", 1)[0]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b"{}"
        if path not in ("/v1/chat/completions", "/chat/completions"):
            self.send_json(404, {"detail": "Not Found"})
            return
        if not self.authorized():
            return
        try:
            request = json.loads(raw or b"{}")
        except ValueError:
            self.send_json(400, {"error": {"message": "invalid JSON body", "code": "400"}})
            return
        model = request.get("model")
        if model not in self.names:
            self.send_json(400, {"error": {"message": f"Invalid model name passed in model={model}", "code": "400"}})
            return
        if model in REVOKED:
            self.send_json(401, {"error": {"message": "litellm.AuthenticationError: AuthenticationError: OpenAIException - Incorrect"
                                           " API key provided", "type": "auth_error", "param": "None", "code": "401"}})
            return
        if request.get("stream"):
            self.stream(model, int(request.get("max_tokens") or 6))
        else:
            self.send_json(200, {"id": "chatcmpl-standin", "object": "chat.completion", "model": model,
                                 "choices": [{"index": 0, "finish_reason": "stop",
                                              "message": {"role": "assistant", "content": "hello from the stand-in"}}]})

    def stream(self, model, chunks):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        for i in range(chunks):
            chunk = {"id": "chatcmpl-standin", "object": "chat.completion.chunk", "model": model,
                     "choices": [{"index": 0, "delta": {"content": f"token{i} "}, "finish_reason": None}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
            time.sleep(self.chunk_seconds)
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


def main():
    parser = argparse.ArgumentParser(prog="litellm", description="LiteLLM proxy stand-in")
    parser.add_argument("--config", "-c", required=True)
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=4000)
    args, _ignored = parser.parse_known_args()
    names, master_key = load_config(args.config)
    Proxy.names, Proxy.master_key = names, master_key
    server = ThreadingHTTPServer((args.host, args.port), Proxy)
    server.daemon_threads = False
    server.block_on_close = True
    stop_delay = float(os.environ.get("LITELLM_STANDIN_STOP_DELAY", "0"))
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(
        target=lambda: (time.sleep(stop_delay), server.shutdown(), Proxy.stop_idle())).start())
    crash_after = float(os.environ.get("LITELLM_STANDIN_CRASH_AFTER", "0"))
    if crash_after > 0:
        def crash():
            time.sleep(crash_after)
            print(f"stand-in: crashing {crash_after} s after start (LITELLM_STANDIN_CRASH_AFTER)", file=sys.stderr, flush=True)
            os._exit(3)
        threading.Thread(target=crash, daemon=True).start()
    print(f"LiteLLM (stand-in) {VERSION}: {len(names)} model names: {', '.join(names)}", file=sys.stderr, flush=True)
    print(f"INFO:     Uvicorn running on http://{args.host}:{args.port} (Press CTRL+C to quit)", file=sys.stderr, flush=True)
    server.serve_forever(poll_interval=0.05)
    server.server_close()
    print("INFO:     Shutting down", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
