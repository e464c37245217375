"""The conformance scenario: the official SDK drives a running emulator, group by group.

    python scenario.py --endpoint http://127.0.0.1:N --token T

Every step is a real SDK call (or a few) whose result is checked against what was sent.
A failing step is recorded with its error and the scenario goes on, so one run shows
every disagreement; the exit code is 1 if any step failed.
"""

import argparse
import json
import re
import sys
import time
import traceback
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Callable, Optional

from azure.core.credentials import AccessToken
from azure.core.exceptions import ResourceNotFoundError
from azure.mgmt.apimanagement import ApiManagementClient
from azure.mgmt.apimanagement import models as m

import plan

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
RG = "conformance-rg"
SVC = "conformance-svc"
SERVICE_ID = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}"
    f"/providers/Microsoft.ApiManagement/service/{SVC}"
)

# Options for every call. `enforce_https=False` is azure-core's documented per-request
# opt-out of BearerTokenCredentialPolicy's https check: the emulator is plain http on
# 127.0.0.1. The SDK forwards call kwargs to the pipeline (and, for `begin_*`, to every
# poll), so the token still goes through the real credential policy.
CALL = {"enforce_https": False}
# Long-running calls also poll without a client-side pause (the emulator's Retry-After
# still applies: azure-core prefers the server's header).
LRO = {**CALL, "polling_interval": 0}


class StaticToken:
    """The emulator's fixed bearer token, in the shape azure-core's TokenCredential needs."""

    def __init__(self, token: str):
        self._token = token

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken(self._token, int(time.time()) + 3600)


def with_etag(_pipeline_response, resource, headers):
    """A `cls` hook: the SDK returns the resource and its ETag header instead of the model."""
    return resource, headers.get("ETag")


class Wire:
    """What went over the wire, from the client's `raw_response_hook`: (method, path, status)."""

    def __init__(self):
        self.exchanges = []

    def hook(self, response) -> None:
        request = response.http_request
        path = request.url.split("?", 1)[0]
        self.exchanges.append((request.method, path, response.http_response.status_code))

    def polls_since(self, start: int) -> list:
        """The polls of operation monitors (status or result URLs) after `start`."""
        return [e for e in self.exchanges[start:]
                if "/operationStatuses/" in e[1] or "/operationResults/" in e[1]]


# Every request of the run; long-running steps check that the SDK followed the async contract.
WIRE = Wire()


def long_running(start_call: Callable[[], Any]) -> Any:
    """Runs a `begin_*` call to its end; fails unless the SDK polled the operation."""
    start = len(WIRE.exchanges)
    result = start_call().result()
    expect(bool(WIRE.polls_since(start)),
           f"no operation polls: {WIRE.exchanges[start:]}")
    return result


class Check(AssertionError):
    """A step ran but the answer was not the one expected."""


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Check(message)


# ---------------------------------------------------------------------------------------
# Recording


@dataclass
class Result:
    group: str
    step: str
    error: Optional[str]


@dataclass
class Recorder:
    results: list = field(default_factory=list)
    verbose: bool = False

    def run(self, group: str, step: str, action: Callable[[], Any]) -> Any:
        """Runs one step; records it as passed, or failed with a one-line reason."""
        try:
            value = action()
        except Exception as error:  # every failure is a finding, whatever its type
            reason = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
            self.results.append(Result(group, step, reason))
            print(f"FAIL {group}.{step}: {reason}")
            if self.verbose:
                traceback.print_exc()
            return None
        self.results.append(Result(group, step, None))
        print(f"ok   {group}.{step}")
        return value

    def table(self, markdown: bool = False) -> str:
        groups: dict = {}
        for result in self.results:
            steps, passed = groups.get(result.group, (0, 0))
            groups[result.group] = (steps + 1, passed + (result.error is None))
        total = len(self.results)
        passed = sum(r.error is None for r in self.results)
        if markdown:
            lines = ["| group | steps | passed |", "|---|---:|---:|"]
            lines += [f"| {g} | {s} | {p} |" for g, (s, p) in groups.items()]
            lines.append(f"| **total** | **{total}** | **{passed}** |")
            return "\n".join(lines)
        width = max(len("group"), *(len(g) for g in groups))
        lines = [f"{'group':<{width}}  steps  passed", f"{'-' * width}  -----  ------"]
        for group, (steps, passed) in groups.items():
            lines.append(f"{group:<{width}}  {steps:>5}  {passed:>6}")
        lines.append(f"{'total':<{width}}  {total:>5}  {passed:>6}")
        return "\n".join(lines)

    def failures(self) -> list:
        return [r for r in self.results if r.error is not None]


# ---------------------------------------------------------------------------------------
# The generic life cycle of one resource, planned from the description (plan.py)


class Scenario:
    """The plans, the path values of each group's two instances (the scenario's own,
    `conf-*`, and the parent its children live under, `parent-*`), and the parents
    created so far, in creation order."""

    def __init__(self, client, recorder: "Recorder"):
        self.client = client
        self.recorder = recorder
        description, bodies = plan.load()
        ordered, self.skipped = plan.plans(description, bodies)
        self.plans = {p.attribute: p for p in ordered}
        self.order = [p.attribute for p in ordered]
        self.enums = plan.enums(description)
        self.parents_created: list = []

    def ops(self, attribute: str):
        return getattr(self.client, attribute)

    def own_value(self, p: "plan.Plan", as_parent: bool) -> str:
        """The group's own path value (its last segment, a literal for a singleton)."""
        last = p.segments[-1]
        if not last.startswith("{"):
            return last
        if p.name is not None:
            return self.fill(p.name)
        _, wire, constraints, enum = p.resource.path_params[-1]
        return plan.path_value(p, wire, constraints, self.enums.get(enum, []), as_parent)

    def args(self, p: "plan.Plan", as_parent: bool = False) -> dict:
        """The get's path arguments by Python name: the parents' instances, then its own."""
        values = [self.own_value(self.plans[parent], True) for parent in p.parents]
        if p.segments[-1].startswith("{"):
            values.append(self.own_value(p, as_parent))
        names = [name for name, *_ in p.resource.path_params]
        assert len(names) == len(values), (p.attribute, names, values)
        return {"resource_group_name": RG, "service_name": SVC, **dict(zip(names, values))}

    def op_args(self, op: "plan.Operation", args: dict, drop_own: bool = False) -> dict:
        """`args` renamed to `op`'s parameters, by position (another group's list may
        name them differently)."""
        values = list(args.values())[2:]
        if drop_own:
            values = values[:len(op.path_params)]
        names = [name for name, *_ in op.path_params]
        return {"resource_group_name": RG, "service_name": SVC, **dict(zip(names, values))}

    def body(self, p: "plan.Plan", model: Optional[str], wire: dict):
        """The wire JSON as the SDK's model, `{service_id}` and `{<group>}` filled in (the
        group's parent instance, created first)."""
        filled = json.loads(self.fill(json.dumps(wire)))
        if model is None:
            return filled
        return getattr(m, model).deserialize(filled)

    def fill(self, text: str) -> str:
        for name in set(re.findall(r"\{(\w+)\}", text)):
            if name == "service_id":
                text = text.replace("{service_id}", SERVICE_ID)
            elif name in self.plans:
                self.ensure_parent(name)
                text = text.replace("{" + name + "}", self.own_value(self.plans[name], True))
        return text

    def ensure_parent(self, attribute: str) -> None:
        """Creates the group's parent instance (and its own parents) once."""
        if attribute in self.parents_created:
            return
        p = self.plans[attribute]
        for parent in p.parents:
            self.ensure_parent(parent)
        self.parents_created.append(attribute)
        self.recorder.run("parents", f"{attribute}.create",
                          lambda: self.create(p, self.args(p, as_parent=True)))

    def call(self, op: "plan.Operation", attribute: str, kwargs: dict):
        method = getattr(self.ops(attribute), op.python_name)
        if op.long_running:
            return long_running(lambda: method(**kwargs, **LRO))
        return method(**kwargs, **CALL)

    def create(self, p: "plan.Plan", args: dict):
        kwargs = dict(args)
        if p.create.body_model is not None:
            kwargs[p.create.body_name] = self.body(p, p.create.body_model, p.create_body)
        if "if_match" in p.create.required:
            # Singletons that always exist (`tenant/access`, `portalconfigs/default`):
            # their "create" replaces whatever is there.
            kwargs["if_match"] = "*"
        resource = self.call(p.create, p.attribute, kwargs)
        if p.create.has_model:
            name = list(args.values())[-1] if p.segments[-1].startswith("{") else p.segments[-1]
            expect(resource.name == name, f"created name {resource.name!r}")
        return resource

    def read(self, p: "plan.Plan", args: dict, **kwargs):
        return getattr(self.ops(p.attribute), p.resource.python_name)(**args, **kwargs, **CALL)

    def get(self, p: "plan.Plan", args: dict):
        resource, etag = self.read(p, args, cls=with_etag)
        name = list(args.values())[-1] if p.segments[-1].startswith("{") else p.segments[-1]
        expect(resource.name == name, f"got name {resource.name!r}")
        expect(resource.id.lower().startswith(SERVICE_ID.lower()), f"id {resource.id!r}")
        if p.resource.etag:
            expect(bool(etag), "no ETag header on get")
        return etag

    def entity_tag(self, p: "plan.Plan", args: dict):
        exists = getattr(self.ops(p.attribute), p.entity_tag.python_name)(**args, **CALL)
        expect(exists is True, f"{p.entity_tag.python_name} returned {exists!r}")

    def list_contains(self, p: "plan.Plan", args: dict):
        attribute, op = p.list_op
        answer = getattr(self.ops(attribute), op.python_name)(
            **self.op_args(op, args, drop_own=True), **CALL)
        # Most lists are pagers; a few (e.g. api_policy.list_by_api) return one
        # collection model, because the description gives them no nextLink.
        items = answer.value if hasattr(answer, "value") else answer
        names = [item.name for item in items]
        name = list(args.values())[-1] if p.segments[-1].startswith("{") else p.segments[-1]
        expect(name in names, f"{name!r} not in {names}")

    def update(self, p: "plan.Plan", args: dict, etag: Optional[str]):
        expect(etag is not None, "no ETag from get to update with")
        body = self.body(p, p.update.body_model, p.update_body)
        wanted = self.body(p, None, p.update_body)
        answer = self.call(p.update, p.attribute,
                           {**args, "if_match": etag, p.update.body_name: body})
        if p.update.has_model:
            expect(contains(wire(answer), wanted), f"the update is not in the answer "
                   f"{wire(answer)}")
        fresh = self.read(p, args)
        expect(contains(wire(fresh), wanted), f"the update is not in a later get {wire(fresh)}")

    def delete(self, p: "plan.Plan", args: dict):
        """Deletes with the current ETag (if the method takes one), then expects a 404."""
        kwargs = dict(args)
        if "if_match" in p.delete.parameters:
            kwargs["if_match"] = self.get(p, args)
        self.call(p.delete, p.attribute, kwargs)
        try:
            if p.readable:
                self.read(p, args)
            else:
                # An existence check that documents 404 answers False; others raise.
                exists = getattr(self.ops(p.attribute), p.entity_tag.python_name)(**args, **CALL)
                expect(exists is False, f"{p.entity_tag.python_name} returned {exists!r}")
                return
        except ResourceNotFoundError:
            return
        raise Check("the resource is still there after delete")

    def life_cycle(self, attribute: str, extra=()) -> None:
        """create, get, entity tag, list, update, the group's extra steps, delete."""
        p = self.plans[attribute]
        for parent in p.parents:
            self.ensure_parent(parent)
        args = self.args(p)
        run = self.recorder.run
        if p.create is not None:
            run(attribute, p.create.python_name, lambda: self.create(p, args))
        etag = run(attribute, p.resource.python_name, lambda: self.get(p, args)) \
            if p.readable else None
        if p.entity_tag is not None:
            run(attribute, p.entity_tag.python_name, lambda: self.entity_tag(p, args))
        if p.list_op is not None:
            run(attribute, f"{p.list_op[0]}.{p.list_op[1].python_name}",
                lambda: self.list_contains(p, args))
        if p.update is not None:
            run(attribute, p.update.python_name, lambda: self.update(p, args, etag))
        instance = Instance(attribute, args)
        for step, action in extra:
            run(attribute, step, lambda action=action: action(self.client, instance))
        if p.delete is not None:
            run(attribute, p.delete.python_name, lambda: self.delete(p, args))

    def delete_parents(self) -> None:
        # The reverse of the creation order, as a client tidying up would.
        for attribute in reversed(self.parents_created):
            p = self.plans[attribute]
            if p.delete is not None:
                self.recorder.run("parents", f"{attribute}.delete",
                                  lambda p=p: self.delete(p, self.args(p, as_parent=True)))


@dataclass(frozen=True)
class Instance:
    """A group's resource for the extra steps: its path arguments, its own name last."""

    attribute: str
    args: dict

    @property
    def name(self) -> str:
        return list(self.args.values())[-1]


def wire(model) -> dict:
    """The SDK model as wire JSON, read-only fields included."""
    return model.serialize(keep_readonly=True)


def contains(whole, part) -> bool:
    """Every leaf of `part` is in `whole` at the same place."""
    if isinstance(part, dict):
        return isinstance(whole, dict) and all(
            key in whole and contains(whole[key], value) for key, value in part.items())
    return whole == part


# ---------------------------------------------------------------------------------------
# Steps beyond the life cycle


def backend_reconnect(client, instance: Instance):
    after = timedelta(minutes=2)
    answer = client.backend.reconnect(
        **instance.args, parameters=m.BackendReconnectContract(after=after), **CALL
    )
    expect(answer is None, f"reconnect returned {answer!r}")


def backend_paging(client, instance: Instance):
    """Two more backends, listed one per page: the pager must follow nextLink."""
    extra = [f"{instance.name}-page{i}" for i in (1, 2)]
    body = m.BackendContract(url="https://backend.contoso.example", protocol="http")
    for name in extra:
        client.backend.create_or_update(RG, SVC, name, body, **CALL)
    names = [b.name for b in client.backend.list_by_service(RG, SVC, top=1, **CALL)]
    for name in extra:
        client.backend.delete(RG, SVC, name, if_match="*", **CALL)
    expect(sorted(names) == sorted([instance.name, *extra]), f"paged names {names}")


def list_value(expected: str):
    def step(client, instance: Instance):
        secret = getattr(client, instance.attribute).list_value(**instance.args, **CALL)
        expect(secret.value == expected, f"listValue returned {secret.value!r}")
    return step


def refresh_secret(client, instance: Instance):
    ops = getattr(client, instance.attribute)
    resource = long_running(lambda: ops.begin_refresh_secret(**instance.args, **LRO))
    expect(resource.name == instance.name, f"refreshSecret returned {resource!r}")


def subscription_secrets(client, instance: Instance):
    """listSecrets gives the keys the subscription was created with."""
    keys = client.subscription.list_secrets(**instance.args, **CALL)
    expect((keys.primary_key, keys.secondary_key) == ("conf-pk", "conf-sk"), f"keys {keys}")


def subscription_regenerate(client, instance: Instance):
    """A regenerated primary key differs from the old one; the secondary stays."""
    client.subscription.regenerate_primary_key(**instance.args, **CALL)
    keys = client.subscription.list_secrets(**instance.args, **CALL)
    expect(keys.primary_key not in (None, "conf-pk"), f"primary {keys.primary_key!r}")
    expect(keys.secondary_key == "conf-sk", f"secondary {keys.secondary_key!r}")


# The steps some groups have beyond the life cycle, between update and delete.
EXTRAS = {
    "backend": (("reconnect", backend_reconnect), ("list_by_service.paged", backend_paging)),
    "named_value": (("list_value", list_value("v2")), ("begin_refresh_secret", refresh_secret)),
    "workspace_named_value": (("list_value", list_value("v1")),
                              ("begin_refresh_secret", refresh_secret)),
    "subscription": (("list_secrets", subscription_secrets),
                     ("regenerate_primary_key", subscription_regenerate)),
}


def api_management_service(recorder: Recorder, client) -> None:
    """The service itself: create (long-running in the SDK), get, and backup."""
    name = "api_management_service"
    service = m.ApiManagementServiceResource(
        location="westeurope",
        sku=m.ApiManagementServiceSkuProperties(name="Developer", capacity=1),
        publisher_email="admin@contoso.example",
        publisher_name="Contoso",
    )

    def create_service():
        created = long_running(lambda: client.api_management_service.begin_create_or_update(
            RG, SVC, service, **LRO))
        expect(created.name == SVC, f"created name {created.name!r}")

    def get_service():
        got = client.api_management_service.get(RG, SVC, **CALL)
        expect(got.publisher_name == "Contoso", f"publisher {got.publisher_name!r}")
        # The top-level ARM fields are read back too (the Rust models require them).
        expect((got.location, got.sku.name if got.sku else None) == ("westeurope", "Developer"),
               f"location {got.location!r}, sku {got.sku!r}")

    def update_service():
        parameters = m.ApiManagementServiceUpdateParameters(publisher_name="Contoso 2")
        updated = long_running(lambda: client.api_management_service.begin_update(
            RG, SVC, parameters, **LRO))
        expect(updated.publisher_name == "Contoso 2", f"publisher {updated.publisher_name!r}")

    parameters = m.ApiManagementServiceBackupRestoreParameters(
        storage_account="conformance", container_name="backups", backup_name="b1"
    )

    def backup():
        long_running(
            lambda: client.api_management_service.begin_backup(RG, SVC, parameters, **LRO))

    def restore():
        restored = long_running(
            lambda: client.api_management_service.begin_restore(RG, SVC, parameters, **LRO))
        expect(restored.name == SVC, f"restored {restored.name!r}")

    recorder.run(name, "begin_create_or_update", create_service)
    recorder.run(name, "get", get_service)
    recorder.run(name, "begin_update", update_service)
    recorder.run(name, "begin_backup", backup)
    recorder.run(name, "begin_restore", restore)


def api_management_service_delete(recorder: Recorder, client) -> None:
    """The service goes last: a long-running delete, then a get must raise 404."""
    def delete_service():
        long_running(lambda: client.api_management_service.begin_delete(RG, SVC, **LRO))
        try:
            client.api_management_service.get(RG, SVC, **CALL)
        except ResourceNotFoundError:
            return
        raise Check("the service is still there after delete")

    recorder.run("api_management_service", "begin_delete", delete_service)


# ---------------------------------------------------------------------------------------
# Links: PUTs without a body (the description gives these operations no body parameter)


def product_api_copies_the_api(client, instance: Instance):
    """A link answers, and lists, the linked resource's properties, as APIM does."""
    product, api = instance.args["product_id"], instance.args["api_id"]
    listed = {a.name: a.display_name for a in client.product_api.list_by_product(
        RG, SVC, product, **CALL)}
    expect(listed.get(api) == "Conformance API", f"listed {listed}")


EXTRAS["product_api"] = (("list_by_product.display_name", product_api_copies_the_api),)


def tag_assignments(recorder: Recorder, scenario: Scenario) -> None:
    """The tag group's PUTs without a body: a tag assigned to an API, an operation and a
    product; each read back, listed and detached."""
    client = scenario.client
    linked_groups = ("tag", "api", "api_operation", "product")
    for attribute in linked_groups:
        scenario.ensure_parent(attribute)
    tag, api, operation, product = (
        scenario.own_value(scenario.plans[attribute], True) for attribute in linked_groups)

    def names(items) -> list:
        return [item.name for item in items]

    def assignment(kind: str, *owner: str):
        def step():
            linked = getattr(client.tag, f"assign_to_{kind}")(RG, SVC, *owner, tag, **CALL)
            expect(linked.display_name == "conf", f"display name {linked.display_name!r}")
            got = getattr(client.tag, f"get_by_{kind}")(RG, SVC, *owner, tag, **CALL)
            expect(got.name == tag, f"get_by_{kind} {got.name!r}")
            listed = names(getattr(client.tag, f"list_by_{kind}")(RG, SVC, *owner, **CALL))
            expect(tag in listed, f"{tag!r} not in {listed}")
            getattr(client.tag, f"detach_from_{kind}")(RG, SVC, *owner, tag, **CALL)
            try:
                getattr(client.tag, f"get_by_{kind}")(RG, SVC, *owner, tag, **CALL)
            except ResourceNotFoundError:
                return
            raise Check("the assignment is still there after detach")
        return step

    for kind, owner in (("api", (api,)), ("operation", (api, operation)),
                        ("product", (product,))):
        recorder.run("tag.assign", f"assign_to_{kind}", assignment(kind, *owner))


def views(recorder: Recorder, scenario: Scenario) -> None:
    """Lists the service computes from other resources: a user's subscriptions (and one
    by its id), a product's subscriptions, the products an API is in, a user's groups."""
    client = scenario.client
    linked_groups = ("user", "product", "api", "group")
    for attribute in linked_groups:
        scenario.ensure_parent(attribute)
    user, product, api, group = (
        scenario.own_value(scenario.plans[attribute], True) for attribute in linked_groups)
    sid = "conf-view-sub"

    def names(items) -> list:
        return [item.name for item in items]

    def user_subscription():
        client.subscription.create_or_update(RG, SVC, sid, m.SubscriptionCreateParameters(
            owner_id=f"{SERVICE_ID}/users/{user}", scope=f"{SERVICE_ID}/products/{product}",
            display_name="owned"), **CALL)
        listed = names(client.user_subscription.list(RG, SVC, user, **CALL))
        expect(listed == [sid], f"listed {listed}")
        got = client.user_subscription.get(RG, SVC, user, sid, **CALL)
        expect(got.display_name == "owned", f"display name {got.display_name!r}")
        try:
            client.user_subscription.get(RG, SVC, "someone-else", sid, **CALL)
        except ResourceNotFoundError:
            return
        raise Check("another user's view has the subscription")

    def product_subscriptions():
        listed = names(client.product_subscriptions.list(RG, SVC, product, **CALL))
        expect(listed == [sid], f"listed {listed}")
        client.subscription.delete(RG, SVC, sid, if_match="*", **CALL)
        listed = names(client.product_subscriptions.list(RG, SVC, product, **CALL))
        expect(listed == [], f"listed after delete {listed}")

    def api_product():
        client.product_api.create_or_update(RG, SVC, product, api, **CALL)
        listed = names(client.api_product.list_by_apis(RG, SVC, api, **CALL))
        expect(listed == [product], f"listed {listed}")
        client.product_api.delete(RG, SVC, product, api, **CALL)
        listed = names(client.api_product.list_by_apis(RG, SVC, api, **CALL))
        expect(listed == [], f"listed after unlinking {listed}")

    def user_group():
        client.group_user.create(RG, SVC, group, user, **CALL)
        listed = names(client.user_group.list(RG, SVC, user, **CALL))
        expect(listed == [group], f"listed {listed}")
        client.group_user.delete(RG, SVC, group, user, **CALL)
        listed = names(client.user_group.list(RG, SVC, user, **CALL))
        expect(listed == [], f"listed after removing {listed}")

    for step in (user_subscription, product_subscriptions, api_product, user_group):
        recorder.run(step.__name__, "list", step)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--verbose", action="store_true", help="print tracebacks")
    parser.add_argument("--markdown", action="store_true",
                        help="print the per-group table as markdown (for the README)")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    client = ApiManagementClient(
        StaticToken(args.token), subscription_id=SUBSCRIPTION, base_url=args.endpoint,
        raw_response_hook=WIRE.hook,
    )
    recorder = Recorder(verbose=args.verbose)
    scenario = Scenario(client, recorder)
    api_management_service(recorder, client)
    for attribute in scenario.order:
        scenario.life_cycle(attribute, EXTRAS.get(attribute, ()))
    tag_assignments(recorder, scenario)
    views(recorder, scenario)
    scenario.delete_parents()
    api_management_service_delete(recorder, client)
    print()
    print(recorder.table(markdown=args.markdown))
    failures = recorder.failures()
    passed = len(recorder.results) - len(failures)
    print(f"conformance: {passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
