"""One HTTP request from inside another network namespace (run under nsenter by the security tests).

    python3 http_client.py METHOD URL [HEADER=VALUE ...]     # prints {"status": N, "body": "..."} as JSON
"""
import json
import sys
import urllib.error
import urllib.request

method, url = sys.argv[1], sys.argv[2]
headers = dict(arg.split("=", 1) for arg in sys.argv[3:])
request = urllib.request.Request(url, method=method, headers=headers, data=b"" if method == "POST" else None)
try:
    with urllib.request.urlopen(request, timeout=10) as response:
        print(json.dumps({"status": response.status, "body": response.read().decode("utf-8", "replace")[:2000]}))
except urllib.error.HTTPError as e:
    print(json.dumps({"status": e.code, "body": e.read().decode("utf-8", "replace")[:2000]}))
except Exception as e:  # connection refused, time-out: the test reports it
    print(json.dumps({"status": 0, "body": repr(e)}))
