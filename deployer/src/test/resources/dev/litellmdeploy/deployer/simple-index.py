"""A PEP 503 simple index over a directory of wheels that REQUIRES basic auth and logs every request.

    python3 simple-index.py PORT WHEEL_DIR LOG_FILE AUTH_FILE

AUTH_FILE holds the one accepted "user:password" (so no credential is in this process's arguments). /simple/ lists the
projects, /simple/<name>/ their files (with #sha256=), /files/<file> serves one. Any other path, and every request without
the right credential, is answered 401 or 404. The log has one line per request: METHOD PATH STATUS auth=ok|missing|wrong
(never the credential). Used as the private index (--python-index) and as the Python install mirror
(--python-install-mirror) of the env-build tests.
"""
import base64
import hashlib
import html
import http.server
import os
import re
import sys
import threading

port, root, log_path, auth_path = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
with open(auth_path, "rb") as f:
    expected = b"Basic " + base64.b64encode(f.read().strip())
lock = threading.Lock()


def project(file_name):
    return re.sub(r"[-_.]+", "-", file_name.split("-")[0]).lower()


files = {}
for name in sorted(os.listdir(root)):
    if name.endswith(".whl"):
        with open(os.path.join(root, name), "rb") as f:
            files[name] = hashlib.sha256(f.read()).hexdigest()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", content_type="text/html"):
        given = self.headers.get("Authorization")
        with lock, open(log_path, "a") as log:
            log.write("%s %s %d auth=%s\n" % (self.command, self.path, status,
                                               "missing" if given is None else "ok" if given.encode() == expected else "wrong"))
        self.send_response(status)
        if status == 401:
            self.send_header("WWW-Authenticate", 'Basic realm="test-index"')
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def do_GET(self):
        if (self.headers.get("Authorization") or "").encode() != expected:
            return self.reply(401, b"authentication required")
        path = self.path.split("?")[0]
        if path == "/simple/":
            names = sorted({project(n) for n in files})
            return self.reply(200, "".join('<a href="%s/">%s</a>\n' % (n, n) for n in names).encode())
        m = re.fullmatch(r"/simple/([a-z0-9-]+)/", path)
        if m:
            links = ['<a href="/files/%s#sha256=%s">%s</a>\n' % (html.escape(n), files[n], html.escape(n))
                     for n in files if project(n) == m.group(1)]
            return self.reply(200 if links else 404, "".join(links).encode())
        m = re.fullmatch(r"/files/([A-Za-z0-9._+-]+)", path)
        if m and m.group(1) in files:
            with open(os.path.join(root, m.group(1)), "rb") as f:
                return self.reply(200, f.read(), "application/octet-stream")
        return self.reply(404, b"not here")

    do_HEAD = do_GET


http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
