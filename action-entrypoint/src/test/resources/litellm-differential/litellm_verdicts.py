"""LiteLLM's own verdict on configs: does `litellm --config FILE` get as far as serving?

usage: python litellm_verdicts.py CORPUS_DIR   (in a venv holding litellm[proxy])

Copies CORPUS_DIR (its cases, the files they include, the Python modules they name) to a
temporary directory and judges every top-level *.yaml there, in name order.

Imports LiteLLM's proxy once, then for each config forks a child that runs exactly what
`litellm --config FILE --host 127.0.0.1 --port 4000` runs: proxy_cli.run_server (which reads the
config with ProxyConfig.get_config and applies general_settings), and, where it would call
uvicorn.run, the app's lifespan startup (proxy_startup_event: ProxyConfig.load_config, which
builds the Router, then the rest of the startup up to the point the server would accept requests).
A child that reaches that point reports "accepts"; one that raises reports "refuses" with the
exception. One JSON object per line on stdout: {"file", "verdict", "error"}. The child's own
output goes to FILE.log in the temporary copy, never to stdout. The environment is fixed:
no LITELLM_* variable but the local cost map, no database, CORPUS_MASTER_KEY for the case that
reads its master key from the environment.
"""
import asyncio
import importlib
import json
import os
import select
import shutil
import signal
import sys
import tempfile
import time
import traceback

TIMEOUT_SECONDS = 30

os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
for name in list(os.environ):
    if name.startswith("LITELLM_") and name != "LITELLM_LOCAL_MODEL_COST_MAP" or name in ("DATABASE_URL", "DIRECT_URL", "WORKER_CONFIG", "CONFIG_FILE_PATH"):
        del os.environ[name]
os.environ["CORPUS_MASTER_KEY"] = "sk-fake-master-0002"

import uvicorn  # noqa: E402
from litellm.proxy import proxy_cli  # noqa: E402
import litellm.proxy.proxy_server  # noqa: E402,F401  (the slow import, done once before forking)


RESULT_FD = None


def report(result):
    """Sends the child's verdict and ends it at once: nothing after the verdict (task cancellation, shutdown hooks) can change it."""
    os.write(RESULT_FD, json.dumps(result).encode())
    os._exit(0)


def start_instead_of_serving(app, **_kwargs):
    """What uvicorn.run does before it serves: import the app, run its lifespan startup. Then the verdict, instead of serving."""
    module, attr = app.split(":") if isinstance(app, str) else (None, None)
    asgi = getattr(importlib.import_module(module), attr) if module else app

    async def startup():
        await asgi.router.lifespan_context(asgi).__aenter__()
        report({"verdict": "accepts", "error": None})

    asyncio.run(startup())


def child(path, out):
    global RESULT_FD
    RESULT_FD = out
    log = os.open(path + ".log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.chdir(os.path.dirname(path))
    uvicorn.run = start_instead_of_serving
    try:
        proxy_cli.run_server.main(["--config", path, "--host", "127.0.0.1", "--port", "4000"], standalone_mode=False)
        result = {"verdict": "refuses", "error": "run_server returned without serving"}
    except SystemExit as e:
        result = {"verdict": "accepts" if e.code in (0, None) else "refuses", "error": "SystemExit(%r)" % (e.code,)}
    except BaseException as e:  # noqa: B902 - every failure to start is a refusal
        frames = traceback.extract_tb(e.__traceback__)
        where = next((f"{os.path.basename(f.filename)}:{f.lineno} {f.name}" for f in reversed(frames) if "litellm" in f.filename), "")
        result = {"verdict": "refuses", "error": f"{type(e).__name__}: {e}"[:600] + (f" (at {where})" if where else "")}
    report(result)


def verdict(path):
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        child(path, write)
    os.close(write)
    chunks = []
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while True:
        ready, _, _ = select.select([read], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read)
            return {"verdict": "hangs", "error": f"no verdict within {TIMEOUT_SECONDS} s; see {path}.log"}
        chunk = os.read(read, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read)
    _, status = os.waitpid(pid, 0)
    if not chunks:
        return {"verdict": "refuses", "error": f"the child died (wait status {status}); see {path}.log"}
    return json.loads(b"".join(chunks))


def main(corpus):
    work = os.path.join(tempfile.mkdtemp(prefix="litellm-verdicts-"), "corpus")
    shutil.copytree(corpus, work)
    for name in sorted(n for n in os.listdir(work) if n.endswith(".yaml")):
        result = verdict(os.path.join(work, name))
        result["file"] = name
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
