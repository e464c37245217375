"""The bulk job of benches/throttling.rs with the official Python SDK: TASKS threads doing
WRITES backend creates, then READS backend gets, with the SDK's default retry policy.
Prints one line: the wall time in seconds, the 429s surfaced as errors, other errors."""

import argparse
import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from azure.core.credentials import AccessToken
from azure.core.exceptions import HttpResponseError
from azure.mgmt.apimanagement import ApiManagementClient
from azure.mgmt.apimanagement import models as m

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
RG, SVC = "rg1", "apimService1"


class StaticToken:
    def __init__(self, token):
        self.token = token

    def get_token(self, *scopes, **kwargs):
        return AccessToken(self.token, int(time.time()) + 3600)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--tasks", type=int, default=64)
    parser.add_argument("--writes", type=int, default=1000)
    parser.add_argument("--reads", type=int, default=2000)
    args = parser.parse_args()
    client = ApiManagementClient(StaticToken(args.token), SUBSCRIPTION, base_url=args.endpoint)
    lock = threading.Lock()
    counts = {"throttled": 0, "other": 0}

    def run(call, n):
        try:
            call(n)
        except HttpResponseError as e:
            with lock:
                counts["throttled" if e.status_code == 429 else "other"] += 1

    def write(n):
        backend = m.BackendContract(url=f"https://backend{n}.example/api", protocol="http")
        client.backend.create_or_update(RG, SVC, f"b{n}", backend, enforce_https=False)

    def read(n):
        client.backend.get(RG, SVC, f"b{n % args.writes}", enforce_https=False)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.tasks) as pool:
        list(pool.map(run, itertools.repeat(write), range(args.writes)))
    with ThreadPoolExecutor(max_workers=args.tasks) as pool:
        list(pool.map(run, itertools.repeat(read), range(args.reads)))
    wall = time.monotonic() - started
    print(f"{wall:.3f} {counts['throttled']} {counts['other']}")


if __name__ == "__main__":
    main()
