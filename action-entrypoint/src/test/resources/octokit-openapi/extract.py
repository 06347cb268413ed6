#!/usr/bin/env python3
"""Writes rest-subset.json: the operations this tool calls, from @octokit/openapi's api.github.com.deref.json
(GitHub's published REST description): each one's request body schema and the example of its success response.
Usage: npm pack @octokit/openapi@VERSION && tar xzf octokit-openapi-VERSION.tgz && ./extract.py package VERSION"""
import json
import sys

OPS = [("/repos/{owner}/{repo}", "get"), ("/repos/{owner}/{repo}/deployments", "post"),
       ("/repos/{owner}/{repo}/deployments/{deployment_id}/statuses", "post"), ("/repos/{owner}/{repo}/issues/{issue_number}", "get"),
       ("/repos/{owner}/{repo}/issues/{issue_number}/comments", "get"), ("/repos/{owner}/{repo}/issues/{issue_number}/comments", "post"),
       ("/repos/{owner}/{repo}/issues/comments/{comment_id}", "patch")]

package, version = sys.argv[1], sys.argv[2]
description = json.load(open(package + "/generated/api.github.com.deref.json"))
out = {"source": "@octokit/openapi " + version + " generated/api.github.com.deref.json (MIT, see LICENSE)",
       "openapi": description["openapi"], "operations": {}}
for path, method in OPS:
    op = description["paths"][path][method]
    status = next(c for c in op["responses"] if c.startswith("2"))
    content = op["responses"][status].get("content", {}).get("application/json", {})
    example = next(iter(content.get("examples", {}).values()), {}).get("value")
    if isinstance(example, dict) and "x-github-breaking-changes" in example:  # an example of a future version wrapped around it
        example = example["value"]
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    out["operations"][op["operationId"]] = {"method": method.upper(), "path": path, "status": int(status), "request": body,
                                            "example": example}
json.dump(out, open("rest-subset.json", "w"), indent=1, sort_keys=True)
open("rest-subset.json", "a").write("\n")
