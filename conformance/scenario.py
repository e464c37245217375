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
from datetime import datetime, timedelta, timezone
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


def names(items) -> list:
    """The names of a list's items (a pager's, iterated to the end)."""
    return [item.name for item in items]


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
        for group, (steps, group_passed) in groups.items():
            lines.append(f"{group:<{width}}  {steps:>5}  {group_passed:>6}")
        lines.append(f"{'total':<{width}}  {total:>5}  {passed:>6}")
        return "\n".join(lines)

    def failures(self) -> list:
        return [r for r in self.results if r.error is not None]

    def covered(self, groups: list) -> list:
        """The description's groups driven by a passing step: a row named after the group
        whose steps all passed, or a passing step that calls the group's operation
        (`api_wikis.list` in the row `api_wiki`)."""
        failed = {r.group for r in self.failures()}
        named = {r.group for r in self.results} - failed
        named |= {r.step.split(".", 1)[0] for r in self.results if r.error is None}
        return [group for group in groups if group in named]


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

    def parent(self, attribute: str) -> str:
        """The group's parent instance, created first if need be: its last path value."""
        self.ensure_parent(attribute)
        return self.own_value(self.plans[attribute], True)

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
            expect(same_name(resource.name, name), f"created name {resource.name!r}")
        return resource

    def read(self, p: "plan.Plan", args: dict, **kwargs):
        return getattr(self.ops(p.attribute), p.resource.python_name)(**args, **kwargs, **CALL)

    def get(self, p: "plan.Plan", args: dict):
        resource, etag = self.read(p, args, cls=with_etag)
        name = list(args.values())[-1] if p.segments[-1].startswith("{") else p.segments[-1]
        expect(same_name(resource.name, name), f"got name {resource.name!r}")
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
        listed = names(items)
        name = list(args.values())[-1] if p.segments[-1].startswith("{") else p.segments[-1]
        expect(any(same_name(n, name) for n in listed), f"{name!r} not in {listed}")

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
        if p.attribute == "email_template":
            # A template cannot be deleted: DELETE puts APIM's default back.
            template = self.read(p, args)
            expect(bool(template.body), f"no default body after the reset: {wire(template)}")
            return
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


def same_name(found, wanted) -> bool:
    """ARM names are case-insensitive; a built-in keeps its own casing."""
    return isinstance(found, str) and found.lower() == wanted.lower()


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
    listed = names(client.backend.list_by_service(RG, SVC, top=1, **CALL))
    for name in extra:
        client.backend.delete(RG, SVC, name, if_match="*", **CALL)
    expect(sorted(listed) == sorted([instance.name, *extra]), f"paged names {listed}")


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


def computed(recorder: Recorder, scenario: Scenario) -> None:
    """Reads the service computes from other resources: each is checked against what the
    scenario stored (and, where it can be, after removing it again), so none passes
    against an empty store."""
    client = scenario.client
    linked_groups = ("api", "api_operation", "tag", "product", "user", "workspace",
                     "workspace_api")
    for attribute in linked_groups:
        scenario.ensure_parent(attribute)
    api, operation, tag, product, user, workspace, workspace_api = (
        scenario.own_value(scenario.plans[attribute], True) for attribute in linked_groups)
    issue = "conf-issue-view"

    def issue_list_and_get():
        client.api_issue.create_or_update(RG, SVC, api, issue, m.IssueContract(
            title="seen service-wide", description="d", user_id=f"{SERVICE_ID}/users/{user}"),
            **CALL)
        listed = {i.name: i.title for i in client.issue.list_by_service(RG, SVC, **CALL)}
        expect(listed.get(issue) == "seen service-wide", f"listed {listed}")
        got = client.issue.get(RG, SVC, issue, **CALL)
        expect(got.id.lower() == f"{SERVICE_ID}/apis/{api}/issues/{issue}".lower(),
               f"id {got.id!r}")
        client.api_issue.delete(RG, SVC, api, issue, if_match="*", **CALL)
        listed = [i.name for i in client.issue.list_by_service(RG, SVC, **CALL)]
        expect(issue not in listed, f"listed after delete {listed}")

    def revisions(ops, *owner: str):
        def step():
            listed = [(r.api_id, r.api_revision, r.is_current)
                      for r in ops.list_by_service(RG, SVC, *owner, **CALL)]
            expect(listed == [(f"/apis/{owner[-1]};rev=1", "1", True)], f"revisions {listed}")
        return step

    def user_identities():
        listed = [(i.provider, i.id) for i in client.user_identities.list(RG, SVC, user, **CALL)]
        expect(listed == [("Basic", "user@contoso.example")], f"identities {listed}")

    def tag_resources():
        def assigned() -> list:
            return [(r.tag.name, r.api.id if r.api else None, r.product.name if r.product else None)
                    for r in client.tag_resource.list_by_service(RG, SVC, **CALL)]
        client.tag.assign_to_api(RG, SVC, api, tag, **CALL)
        client.tag.assign_to_product(RG, SVC, product, tag, **CALL)
        listed = assigned()
        expect(("conf", f"/apis/{api}", None) in listed, f"api not in {listed}")
        expect(("conf", None, "Conformance product") in listed, f"product not in {listed}")
        client.tag.detach_from_api(RG, SVC, api, tag, **CALL)
        client.tag.detach_from_product(RG, SVC, product, tag, **CALL)
        listed = assigned()
        expect(listed == [], f"listed after detaching {listed}")

    def operations_by_tags():
        client.tag.assign_to_operation(RG, SVC, api, operation, tag, **CALL)
        listed = [(r.tag.name, r.operation.name, r.operation.url_template)
                  for r in client.operation.list_by_tags(RG, SVC, api, **CALL)]
        client.tag.detach_from_operation(RG, SVC, api, operation, tag, **CALL)
        expect(listed == [("conf", "Get thing", "/things/{id}")], f"listed {listed}")
        after = list(client.operation.list_by_tags(RG, SVC, api, **CALL))
        expect(after == [], f"listed after detaching {after}")

    def all_policies():
        policy_id = f"{SERVICE_ID}/apis/{api}/policies/policy"

        def references() -> list:
            return [p.reference_policy_id.lower()
                    for p in client.all_policies.list_by_service(RG, SVC, **CALL)]
        client.api_policy.create_or_update(RG, SVC, api, "policy", m.PolicyContract(
            value="<policies />", format="xml"), **CALL)
        listed = references()
        expect(policy_id.lower() in listed, f"{policy_id!r} not in {listed}")
        client.api_policy.delete(RG, SVC, api, "policy", if_match="*", **CALL)
        listed = references()
        expect(policy_id.lower() not in listed, f"listed after delete {listed}")

    def regions():
        listed = [(r.name, r.is_master_region) for r in
                  client.region.list_by_service(RG, SVC, **CALL)]
        expect(listed == [("westeurope", True)], f"regions {listed}")

    def network_status():
        by_service = client.network_status.list_by_service(RG, SVC, **CALL)
        expect([s.location for s in by_service] == ["westeurope"],
               f"locations {[s.location for s in by_service]}")
        status = client.network_status.list_by_location(RG, SVC, "westeurope", **CALL)
        expect(bool(status.dns_servers) and bool(status.connectivity_status),
               f"status {status}")

    def outbound_endpoints():
        regions = {detail.region for category in
                   client.outbound_network_dependencies_endpoints.list_by_service(
                       RG, SVC, **CALL).value
                   for endpoint in category.endpoints for detail in endpoint.endpoint_details}
        expect(regions == {"westeurope"}, f"regions {regions}")

    def policy_descriptions():
        """The catalogue, and `scope` keeps what is usable there (APIM's bit mask, tenant 1)."""
        every = {p.name: p.scope for p in client.policy_description.list_by_service(
            RG, SVC, **CALL).value}
        tenant = {p.name: p.scope for p in client.policy_description.list_by_service(
            RG, SVC, scope="Tenant", **CALL).value}
        expect("rate-limit" in every and "rate-limit" not in tenant, f"{every} {tenant}")
        expect(bool(tenant) and all(scope & 1 for scope in tenant.values()), f"tenant {tenant}")

    def export(ops, path: str, *owner: str):
        def step():
            result = ops.get(RG, SVC, *owner, format="openapi-link", export="true", **CALL)
            expect(result.id.lower() == f"{SERVICE_ID}{path}".lower(), f"id {result.id!r}")
            expect(f"/{owner[-1]}.yaml?" in result.value.link, f"link {result.value.link!r}")
        return step

    for row, step, action in (
            ("issue", "list_by_service.get", issue_list_and_get),
            ("api_revision", "list_by_service", revisions(client.api_revision, api)),
            ("workspace_api_revision", "list_by_service",
             revisions(client.workspace_api_revision, workspace, workspace_api)),
            ("user_identities", "list", user_identities),
            ("tag_resource", "list_by_service", tag_resources),
            ("operation", "list_by_tags", operations_by_tags),
            ("all_policies", "list_by_service", all_policies),
            ("region", "list_by_service", regions),
            ("network_status", "list_by_service.list_by_location", network_status),
            ("outbound_network_dependencies_endpoints", "list_by_service", outbound_endpoints),
            ("policy_description", "list_by_service", policy_descriptions),
            ("api_export", "get", export(client.api_export, f"/apis/{api}", api)),
            ("workspace_api_export", "get", export(
                client.workspace_api_export, f"/workspaces/{workspace}/apis/{workspace_api}",
                workspace, workspace_api))):
        recorder.run(row, step, action)


def api_management_service_resource(recorder: Recorder, client) -> None:
    """The service as APIM fills it in, and both of its lists."""
    name = "api_management_service"
    host = SVC.lower()

    def read_only_properties():
        got = client.api_management_service.get(RG, SVC, **CALL)
        expect(got.provisioning_state == "Succeeded", f"state {got.provisioning_state!r}")
        expect(got.gateway_url == f"https://{host}.azure-api.net", f"gateway {got.gateway_url!r}")
        expect(got.developer_portal_url == f"https://{host}.developer.azure-api.net",
               f"developer portal {got.developer_portal_url!r}")
        expect(got.management_api_url == f"https://{host}.management.azure-api.net",
               f"management {got.management_api_url!r}")
        expect(got.scm_url == f"https://{host}.scm.azure-api.net", f"scm {got.scm_url!r}")
        expect(bool(got.public_ip_addresses), "no public IP addresses")
        expect(got.created_at_utc is not None, "no createdAtUtc")
        expect(got.sku.name == "Developer" and got.location == "westeurope",
               f"sku {got.sku} location {got.location!r}")
        expect(bool(got.etag), "no etag")

    def list_by_resource_group():
        listed = names(client.api_management_service.list_by_resource_group(RG, **CALL))
        expect(SVC in listed, f"{SVC!r} not in {listed}")

    def list_all():
        listed = names(client.api_management_service.list(**CALL))
        expect(SVC in listed, f"{SVC!r} not in {listed}")

    def skus():
        tiers = [sku.name for sku in client.api_management_skus.list(**CALL)]
        expect("Developer" in tiers, f"tiers {tiers}")

    def service_skus():
        available = [r.sku.name for r in
                     client.api_management_service_skus.list_available_service_skus(
                         RG, SVC, **CALL)]
        expect("Premium" in available, f"available {available}")

    def provider_operations():
        listed = [o.name for o in client.api_management_operations.list(**CALL)]
        expect("Microsoft.ApiManagement/service/read" in listed, f"{len(listed)} operations")

    recorder.run(name, "get.read_only_properties", read_only_properties)
    recorder.run("api_management_skus", "list", skus)
    recorder.run("api_management_service_skus", "list_available_service_skus", service_skus)
    recorder.run("api_management_operations", "list", provider_operations)
    recorder.run(name, "list_by_resource_group", list_by_resource_group)
    recorder.run(name, "list", list_all)


FIXTURES = __import__("pathlib").Path(__file__).resolve().parent.parent / "apim-emulator/tests/fixtures"
# The test certificate in FIXTURES (cert.cer; cert.pfx with its key, password Passw0rd!).
CERT_SUBJECT = "CN=emulator-test-cert, O=Contoso, C=US"
CERT_THUMBPRINT = "FD58B1FE6C5A499DEBECA04E43380CDE3700FA03"


def fixture(name: str) -> str:
    import base64
    return base64.b64encode((FIXTURES / name).read_bytes()).decode()


def built_ins(recorder: Recorder, client) -> None:
    """A new service has what APIM creates in a new instance."""
    group = "built_ins"

    def groups():
        listed = {g.name: g for g in client.group.list_by_service(RG, SVC, **CALL)}
        for name in ("administrators", "developers", "guests"):
            expect(name in listed and listed[name].built_in is True
                   and listed[name].type_properties_type == "system",
                   f"system group {name}: {wire(listed[name]) if name in listed else list(listed)}")

    def administrator():
        admin = client.user.get(RG, SVC, "1", **CALL)
        expect(admin.first_name == "Administrator" and admin.state == "active", f"{admin}")

    def products_and_echo_api():
        products = names(client.product.list_by_service(RG, SVC, **CALL))
        expect({"starter", "unlimited"} <= set(products), f"products {products}")
        echo = client.api.get(RG, SVC, "echo-api", **CALL)
        expect(echo.display_name == "Echo API", f"{echo}")

    def templates_reset():
        name = "newIssueNotificationMessage"
        default = client.email_template.get(RG, SVC, name, **CALL)
        client.email_template.update(RG, SVC, name, "*", m.EmailTemplateUpdateParameters(
            subject="changed"), **CALL)
        changed = client.email_template.get(RG, SVC, name, **CALL)
        expect(changed.subject == "changed", f"{changed.subject!r}")
        client.email_template.delete(RG, SVC, name, "*", **CALL)
        back = client.email_template.get(RG, SVC, name, **CALL)
        expect(back.subject == default.subject and back.body == default.body,
               f"not reset: {back.subject!r}")

    def notifications():
        listed = names(client.notification.list_by_service(RG, SVC, **CALL))
        expect("RequestPublisherNotificationMessage" in listed, f"notifications {listed}")

    for step, action in (("groups", groups), ("administrator", administrator),
                         ("products_and_echo_api", products_and_echo_api),
                         ("email_template.reset", templates_reset),
                         ("notifications", notifications)):
        recorder.run(group, step, action)


def secrets(recorder: Recorder, client) -> None:
    """Secrets only from the secret actions; certificates read from the upload."""
    group = "secrets"

    def subscription_keys():
        created = client.subscription.create_or_update(RG, SVC, "secret-sub",
            m.SubscriptionCreateParameters(scope="/apis", display_name="secret",
                                           primary_key="sec-pk"), **CALL)
        got = client.subscription.get(RG, SVC, "secret-sub", **CALL)
        listed = [s for s in client.subscription.list(RG, SVC, **CALL) if s.name == "secret-sub"]
        for answer in (created, got, *listed):
            expect(answer.primary_key is None and answer.secondary_key is None,
                   f"keys shown: {wire(answer)}")
        keys = client.subscription.list_secrets(RG, SVC, "secret-sub", **CALL)
        expect(keys.primary_key == "sec-pk" and keys.secondary_key, f"{keys}")

    def named_value():
        long_running(lambda: client.named_value.begin_create_or_update(RG, SVC, "secret-nv",
            m.NamedValueCreateContract(display_name="secretnv", value="hidden", secret=True),
            **LRO))
        got = client.named_value.get(RG, SVC, "secret-nv", **CALL)
        expect(got.value is None and got.secret is True, f"value shown: {wire(got)}")
        expect(client.named_value.list_value(RG, SVC, "secret-nv", **CALL).value == "hidden",
               "listValue")

    def client_secrets():
        client.identity_provider.create_or_update(RG, SVC, "google",
            m.IdentityProviderCreateContract(client_id="g-id", client_secret="g-secret"), **CALL)
        got = client.identity_provider.get(RG, SVC, "google", **CALL)
        expect(got.client_secret is None, f"secret shown: {wire(got)}")
        expect(client.identity_provider.list_secrets(RG, SVC, "google", **CALL).client_secret
               == "g-secret", "listSecrets")

    def gateway_keys():
        client.gateway.create_or_update(RG, SVC, "secret-gw", m.GatewayContract(
            location_data=m.ResourceLocationDataContract(name="here")), **CALL)
        raw = client.gateway.get(RG, SVC, "secret-gw", cls=lambda r, d, h: r.http_response.json(),
                                 **CALL)
        expect("primaryKey" not in raw.get("properties", {}), f"keys shown: {raw}")
        expect(bool(client.gateway.list_keys(RG, SVC, "secret-gw", **CALL).primary), "listKeys")

    def certificates():
        for name, body in (("cer", m.CertificateCreateOrUpdateParameters(data=fixture("cert.cer"))),
                           ("pfx", m.CertificateCreateOrUpdateParameters(
                               data=fixture("cert.pfx"), password="Passw0rd!"))):
            created = client.certificate.create_or_update(RG, SVC, f"secret-{name}", body, **CALL)
            got = client.certificate.get(RG, SVC, f"secret-{name}", **CALL)
            for answer in (created, got):
                expect((answer.subject, answer.thumbprint) == (CERT_SUBJECT, CERT_THUMBPRINT),
                       f"{name}: {wire(answer)}")
                expect(answer.expiration_date is not None, f"{name}: no expirationDate")

    def wrong_password():
        from azure.core.exceptions import HttpResponseError
        try:
            client.certificate.create_or_update(RG, SVC, "secret-bad",
                m.CertificateCreateOrUpdateParameters(data=fixture("cert.pfx"), password="nope"),
                **CALL)
        except HttpResponseError as error:
            expect(error.status_code == 400 and error.error.code == "ValidationError",
                   f"{error.status_code} {error.error}")
            return
        raise Check("a wrong password was accepted")

    for step, action in (("subscription.keys", subscription_keys),
                         ("named_value.value", named_value),
                         ("identity_provider.client_secret", client_secrets),
                         ("gateway.keys", gateway_keys),
                         ("certificate.read", certificates),
                         ("certificate.wrong_password", wrong_password)):
        recorder.run(group, step, action)


def actions(recorder: Recorder, client, scenario: "Scenario") -> None:
    """The description's actions not driven by a group's life cycle above."""
    api = scenario.parent("api")
    user, gateway = "act-user", "act-gateway"
    provider, authorization = "act-provider", "act-auth"
    expiry = datetime.now(timezone.utc) + timedelta(days=1)

    def setup():
        client.user.create_or_update(RG, SVC, user, m.UserCreateParameters(
            email="act@contoso.example", first_name="Act", last_name="Ion"), **CALL)
        client.gateway.create_or_update(RG, SVC, gateway, m.GatewayContract(
            location_data=m.ResourceLocationDataContract(name="here")), **CALL)
        client.identity_provider.create_or_update(RG, SVC, "facebook",
            m.IdentityProviderCreateContract(client_id="fb-id", client_secret="fb-secret"),
            **CALL)
        client.open_id_connect_provider.create_or_update(RG, SVC, "act-oidc",
            m.OpenidConnectProviderContract(display_name="oidc",
                                            metadata_endpoint="https://idp.example/.well-known",
                                            client_id="oidc-id", client_secret="oidc-secret"),
            **CALL)
        client.certificate.create_or_update(RG, SVC, "act-cert",
            m.CertificateCreateOrUpdateParameters(key_vault=m.KeyVaultContractCreateProperties(
                secret_identifier="https://vault.example/secrets/cert")), **CALL)
        long_running(lambda: client.policy_fragment.begin_create_or_update(
            RG, SVC, "act-fragment",
            m.PolicyFragmentContract(value="<fragment />", format="xml"), **LRO))
        client.api_policy.create_or_update(RG, SVC, api, "policy", m.PolicyContract(
            value='<policies><inbound><include-fragment fragment-id="act-fragment" />'
                  "</inbound></policies>", format="xml"), **CALL)
        client.authorization_provider.create_or_update(RG, SVC, provider,
            m.AuthorizationProviderContract(display_name="p", identity_provider="github"),
            **CALL)
        client.authorization.create_or_update(RG, SVC, provider, authorization,
            m.AuthorizationContract(authorization_type="OAuth2",
                                    o_auth2_grant_type="AuthorizationCode"), **CALL)

    def service_actions():
        ops = client.api_management_service
        taken = ops.check_name_availability(
            m.ApiManagementServiceCheckNameAvailabilityParameters(name=SVC), **CALL)
        expect(taken.name_available is False and taken.reason == "AlreadyExists",
               f"{taken.name_available} {taken.reason}")
        free = ops.check_name_availability(
            m.ApiManagementServiceCheckNameAvailabilityParameters(name="act-free-name"), **CALL)
        expect(free.name_available is True, f"{free.reason}")
        sso = ops.get_sso_token(RG, SVC, **CALL)
        expect(sso.redirect_uri.startswith(f"https://{SVC.lower()}.portal.azure-api.net"),
               f"redirect {sso.redirect_uri!r}")
        identifier = ops.get_domain_ownership_identifier(**CALL)
        expect(bool(identifier.domain_ownership_identifier), "no identifier")
        migrated = long_running(lambda: ops.begin_migrate_to_stv2(RG, SVC, **LRO))
        expect(migrated.platform_version == "stv2", f"platform {migrated.platform_version!r}")
        applied = long_running(
            lambda: ops.begin_apply_network_configuration_updates(RG, SVC, **LRO))
        expect(applied.name == SVC, f"applied {applied.name!r}")

    def connectivity_check():
        check = long_running(lambda: client.begin_perform_connectivity_check_async(
            RG, SVC, m.ConnectivityCheckRequest(
                source=m.ConnectivityCheckRequestSource(region="westeurope"),
                destination=m.ConnectivityCheckRequestDestination(
                    address="https://example.com", port=443)), **LRO))
        expect(check.connection_status == "Connected", f"status {check.connection_status!r}")

    def policy_restriction_validations():
        validated = long_running(
            lambda: client.policy_restriction_validations.begin_by_service(RG, SVC, **LRO))
        expect(validated.status == "Succeeded", f"validation {validated.status!r}")

    def git_configuration():
        ops = client.tenant_configuration
        for begin in (ops.begin_deploy, ops.begin_validate):
            result = long_running(lambda begin=begin: begin(
                RG, SVC, "configuration", m.DeployConfigurationParameters(branch="master"),
                **LRO))
            expect(result.status == "Succeeded", f"{begin.__name__}: {result.status!r}")
        saved = long_running(lambda: ops.begin_save(
            RG, SVC, "configuration", m.SaveConfigurationParameter(branch="master"), **LRO))
        expect(saved.status == "Succeeded", f"save: {saved.status!r}")

    def tenant_access():
        before = client.tenant_access.list_secrets(RG, SVC, "access", **CALL)
        client.tenant_access.regenerate_primary_key(RG, SVC, "access", **CALL)
        after = client.tenant_access.list_secrets(RG, SVC, "access", **CALL)
        expect(after.primary_key != before.primary_key, "primary key unchanged")
        expect(after.secondary_key == before.secondary_key, "secondary key changed")

    def tenant_access_git():
        git = client.tenant_access.list_secrets(RG, SVC, "gitAccess", **CALL)
        client.tenant_access_git.regenerate_secondary_key(RG, SVC, "gitAccess", **CALL)
        git_after = client.tenant_access.list_secrets(RG, SVC, "gitAccess", **CALL)
        expect(git_after.secondary_key != git.secondary_key, "git secondary key unchanged")

    def user_actions():
        url = client.user.generate_sso_url(RG, SVC, user, **CALL)
        expect(url.value.startswith(f"https://{SVC.lower()}.developer.azure-api.net/"),
               f"sso url {url.value!r}")
        token = client.user.get_shared_access_token(RG, SVC, user, m.UserTokenParameters(
            key_type="primary", expiry=expiry), **CALL)
        expect(token.value.startswith(f"{user}&{expiry:%Y%m%d%H%M}&"), f"token {token.value!r}")

    def user_confirmation_password():
        # 204 and no body: the step shows the action exists for a user that does (the
        # missing user's 404 is the next call).
        client.user_confirmation_password.send(RG, SVC, user, **CALL)
        try:
            client.user_confirmation_password.send(RG, SVC, "act-nobody", **CALL)
        except ResourceNotFoundError:
            return
        raise Check("a missing user's password confirmation was sent")

    def gateway_actions():
        ops = client.gateway
        keys = ops.list_keys(RG, SVC, gateway, **CALL)
        ops.regenerate_key(RG, SVC, gateway,
                           m.GatewayKeyRegenerationRequestContract(key_type="primary"), **CALL)
        after = ops.list_keys(RG, SVC, gateway, **CALL)
        expect(after.primary != keys.primary and after.secondary == keys.secondary,
               "regenerate_key")
        token = ops.generate_token(RG, SVC, gateway, m.GatewayTokenRequestContract(
            key_type="secondary", expiry=expiry), **CALL)
        expect(token.value.startswith(f"GatewayKey {gateway}&"), f"token {token.value!r}")
        debug = ops.list_debug_credentials(RG, SVC, gateway, m.GatewayListDebugCredentialsContract(
            purposes=["tracing"], api_id=f"{SERVICE_ID}/apis/{api}"), **CALL)
        expect(bool(debug.token), "no debug token")
        ops.invalidate_debug_credentials(RG, SVC, gateway, **CALL)
        trace = ops.list_trace(RG, SVC, gateway, m.GatewayListTraceContract(trace_id="t1"),
                               **CALL)
        expect(trace.get("traceId") == "t1", f"trace {trace}")

    def identity_provider_secrets():
        facebook = client.identity_provider.list_secrets(RG, SVC, "facebook", **CALL)
        expect(facebook.client_secret == "fb-secret", f"{facebook.client_secret!r}")

    def open_id_connect_provider_secrets():
        oidc = client.open_id_connect_provider.list_secrets(RG, SVC, "act-oidc", **CALL)
        expect(oidc.client_secret == "oidc-secret", f"{oidc.client_secret!r}")

    def delegation_secrets():
        delegation = client.delegation_settings.list_secrets(RG, SVC, **CALL)
        expect(bool(delegation.validation_key), "no validation key")

    def certificate_refresh():
        certificate = client.certificate.refresh_secret(RG, SVC, "act-cert", **CALL)
        expect(certificate.key_vault.last_status.code == "Success",
               f"{certificate.key_vault.last_status}")

    def fragment_references():
        references = client.policy_fragment.list_references(RG, SVC, "act-fragment", **CALL)
        listed = names(references.value)
        expect(listed == ["policy"], f"references {listed}")

    def authorization_actions():
        client.authorization.confirm_consent_code(RG, SVC, provider, authorization,
            m.AuthorizationConfirmConsentCodeRequestContract(consent_code="code"), **CALL)
        got = client.authorization.get(RG, SVC, provider, authorization, **CALL)
        expect(got.status == "Connected", f"status {got.status!r}")

    def login_links():
        link = client.authorization_login_links.post(RG, SVC, provider, authorization,
            m.AuthorizationLoginRequestContract(post_login_redirect_url="https://app.example/"),
            **CALL)
        expect(link.login_link.startswith("https://"), f"login link {link.login_link!r}")

    def cleanup():
        client.authorization.delete(RG, SVC, provider, authorization, if_match="*", **CALL)
        client.authorization_provider.delete(RG, SVC, provider, if_match="*", **CALL)
        client.api_policy.delete(RG, SVC, api, "policy", if_match="*", **CALL)
        client.policy_fragment.delete(RG, SVC, "act-fragment", if_match="*", **CALL)
        client.certificate.delete(RG, SVC, "act-cert", if_match="*", **CALL)
        client.open_id_connect_provider.delete(RG, SVC, "act-oidc", if_match="*", **CALL)
        client.identity_provider.delete(RG, SVC, "facebook", if_match="*", **CALL)
        client.gateway.delete(RG, SVC, gateway, if_match="*", **CALL)
        long_running(lambda: client.user.begin_delete(RG, SVC, user, if_match="*", **LRO))

    # Each step is recorded under the group whose operations it drives.
    for row, step, action in (
            ("actions", "setup", setup),
            ("api_management_service", "actions", service_actions),
            ("perform_connectivity_check", "begin_perform_connectivity_check_async",
             connectivity_check),
            ("policy_restriction_validations", "begin_by_service",
             policy_restriction_validations),
            ("tenant_configuration", "begin_deploy.validate.save", git_configuration),
            ("tenant_access", "list_secrets.regenerate_primary_key", tenant_access),
            ("tenant_access_git", "regenerate_secondary_key", tenant_access_git),
            ("user", "generate_sso_url.get_shared_access_token", user_actions),
            ("user_confirmation_password", "send", user_confirmation_password),
            ("gateway", "keys.token.debug_credentials.trace", gateway_actions),
            ("identity_provider", "list_secrets", identity_provider_secrets),
            ("open_id_connect_provider", "list_secrets", open_id_connect_provider_secrets),
            ("delegation_settings", "list_secrets", delegation_secrets),
            ("certificate", "refresh_secret", certificate_refresh),
            ("policy_fragment", "list_references", fragment_references),
            ("authorization_login_links", "post", login_links),
            ("authorization", "confirm_consent_code", authorization_actions),
            ("actions", "cleanup", cleanup)):
        recorder.run(row, step, action)


def api_gateway(recorder: Recorder, client, scenario: "Scenario") -> None:
    """A top-level gateway (`Microsoft.ApiManagement/gateways`) and a config connection."""
    name, gateway, connection = "api_gateway", "conf-gateway", "conf-connection"
    ops = client.api_gateway

    def create():
        created = long_running(lambda: ops.begin_create_or_update(
            RG, gateway, m.ApiManagementGatewayResource(
                location="eastus", sku=m.ApiManagementGatewaySkuProperties(
                    name="Standard", capacity=1)), **LRO))
        expect(created.name == gateway, f"created {created.name!r}")
        expect(created.provisioning_state == "Succeeded", f"state {created.provisioning_state!r}")
        expect(bool(created.frontend.default_hostname), "no frontend hostname")

    def gateway_skus():
        skus = [r.sku.name for r in
                client.api_management_gateway_skus.list_available_skus(RG, gateway, **CALL)]
        expect("Standard" in skus, f"gateway skus {skus}")

    def lists():
        by_group = [g.name for g in ops.list_by_resource_group(RG, **CALL)]
        everywhere = [g.name for g in ops.list(**CALL)]
        expect(gateway in by_group and gateway in everywhere, f"{by_group} {everywhere}")

    def update():
        updated = long_running(lambda: ops.begin_update(
            RG, gateway, m.ApiManagementGatewayUpdateParameters(
                sku=m.ApiManagementGatewaySkuProperties(name="Standard", capacity=2)), **LRO))
        expect(updated.sku.capacity == 2, f"sku {updated.sku}")
        expect(ops.get(RG, gateway, **CALL).sku.capacity == 2, "the update is not in a get")

    connections = client.api_gateway_config_connection
    workspace = scenario.parent("workspace")
    workspace_id = f"{SERVICE_ID}/workspaces/{workspace}"

    def connection_create():
        created = long_running(lambda: connections.begin_create_or_update(
            RG, gateway, connection, m.ApiManagementGatewayConfigConnectionResource(
                source_id=workspace_id), **LRO))
        expect(created.name == connection, f"created {created.name!r}")

    def connection_get():
        got = connections.get(RG, gateway, connection, **CALL)
        expect(got.source_id == workspace_id, f"source {got.source_id!r}")
        expect(bool(got.default_hostname), "no default hostname")

    def connection_list():
        listed = [c.name for c in connections.list_by_gateway(RG, gateway, **CALL)]
        expect(connection in listed, f"not in {listed}")

    gateway_id = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}" \
                 f"/providers/Microsoft.ApiManagement/gateways/{gateway}"

    def workspace_links():
        """The service's workspaces, each with the gateways connected to it."""
        links = {link.name: [g.id.lower() for g in link.gateways or []] for link in
                 client.api_management_workspace_links.list_by_service(RG, SVC, **CALL)}
        expect(links.get(workspace) == [gateway_id.lower()], f"links {links}")

    def workspace_link():
        link = client.api_management_workspace_link.get(RG, SVC, workspace, **CALL)
        expect(link.workspace_id == workspace_id, f"workspace {link.workspace_id!r}")
        expect([g.id.lower() for g in link.gateways] == [gateway_id.lower()],
               f"gateways {link.gateways}")

    def connection_delete():
        long_running(lambda: connections.begin_delete(
            RG, gateway, connection, if_match="*", **LRO))
        try:
            connections.get(RG, gateway, connection, **CALL)
        except ResourceNotFoundError:
            pass
        else:
            raise Check("the connection is still there after delete")
        link = client.api_management_workspace_link.get(RG, SVC, workspace, **CALL)
        expect(not link.gateways, f"gateways after delete {link.gateways}")

    def delete():
        long_running(lambda: ops.begin_delete(RG, gateway, **LRO))
        try:
            ops.get(RG, gateway, **CALL)
        except ResourceNotFoundError:
            return
        raise Check("the gateway is still there after delete")

    for row, step, action in (
            (name, "begin_create_or_update", create),
            ("api_management_gateway_skus", "list_available_skus", gateway_skus),
            (name, "list_by_resource_group.list", lists),
            (name, "begin_update", update),
            ("api_gateway_config_connection", "begin_create_or_update", connection_create),
            ("api_gateway_config_connection", "get", connection_get),
            ("api_gateway_config_connection", "list_by_gateway", connection_list),
            ("api_management_workspace_links", "list_by_service", workspace_links),
            ("api_management_workspace_link", "get", workspace_link),
            ("api_gateway_config_connection", "begin_delete", connection_delete),
            (name, "begin_delete", delete)):
        recorder.run(row, step, action)


def deleted_services(recorder: Recorder, client) -> None:
    """After the service's delete: it is listed as deleted until purged."""
    name, ops = "deleted_services", client.deleted_services

    def listed():
        listed = names(ops.list_by_subscription(**CALL))
        expect(SVC in listed, f"{SVC!r} not in {listed}")

    def get():
        deleted = ops.get_by_name(SVC, "westeurope", **CALL)
        expect(deleted.service_id.lower() == SERVICE_ID.lower(), f"service id {deleted.service_id!r}")
        expect(deleted.scheduled_purge_date is not None, "no scheduledPurgeDate")

    purge_polls = []

    def purge():
        start = len(WIRE.exchanges)
        long_running(lambda: ops.begin_purge(SVC, "westeurope", **LRO))
        purge_polls.extend(WIRE.polls_since(start))
        try:
            ops.get_by_name(SVC, "westeurope", **CALL)
        except ResourceNotFoundError:
            return
        raise Check("the deleted service is still there after purge")

    def operation_id() -> str:
        """The purge's operation, as its status URL (`Azure-AsyncOperation`) names it: a
        subscription-level monitor under `locations/{location}`."""
        ids = {path.rsplit("/", 1)[1] for _, path, _ in purge_polls
               if "/locations/westeurope/operation" in path.lower()}
        expect(len(ids) == 1, f"the purge's polls {purge_polls}")
        return ids.pop()

    def operation_status():
        """The purge's status, read by the group that reads any location's operations."""
        found = operation_id()
        status = client.operation_status.get("westeurope", found, **CALL)
        expect((status.name, status.status) == (found, "Succeeded"), f"status {status}")
        expect(status.end_time is not None, "no endTime")
        try:
            client.operation_status.get("westeurope", "never-started", **CALL)
        except ResourceNotFoundError:
            return
        raise Check("an operation that never started has a status")

    def operations_results():
        """The finished purge's result: 200 and no body (the description declares none)."""
        found = operation_id()
        start = len(WIRE.exchanges)
        answer = client.operations_results.get("westeurope", found, **CALL)
        statuses = [status for _, path, status in WIRE.exchanges[start:]]
        expect(answer is None and statuses == [200], f"{answer!r} {statuses}")

    for row, step, action in ((name, "list_by_subscription", listed), (name, "get_by_name", get),
                              (name, "begin_purge", purge),
                              ("operation_status", "get", operation_status),
                              ("operations_results", "get", operations_results)):
        recorder.run(row, step, action)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--verbose", action="store_true", help="print tracebacks")
    parser.add_argument("--markdown", action="store_true",
                        help="print the per-group table as markdown (for the README)")
    return parser.parse_args()


# The description's one group without an SDK attribute: the client's own
# `begin_perform_connectivity_check_async`.
UNNAMED_GROUP = "perform_connectivity_check"


def main() -> int:
    args = parse_args()
    client = ApiManagementClient(
        StaticToken(args.token), subscription_id=SUBSCRIPTION, base_url=args.endpoint,
        raw_response_hook=WIRE.hook,
    )
    recorder = Recorder(verbose=args.verbose)
    scenario = Scenario(client, recorder)
    api_management_service(recorder, client)
    api_management_service_resource(recorder, client)
    built_ins(recorder, client)
    secrets(recorder, client)
    for attribute in scenario.order:
        scenario.life_cycle(attribute, EXTRAS.get(attribute, ()))
    tag_assignments(recorder, scenario)
    views(recorder, scenario)
    computed(recorder, scenario)
    actions(recorder, client, scenario)
    api_gateway(recorder, client, scenario)
    scenario.delete_parents()
    api_management_service_delete(recorder, client)
    deleted_services(recorder, client)
    print()
    print(recorder.table(markdown=args.markdown))
    groups = [g["attribute"] or UNNAMED_GROUP for g in plan.load()[0]["groups"]]
    covered = recorder.covered(groups)
    print(f"groups covered: {len(covered)} of {len(groups)}; not covered: "
          f"{', '.join(g for g in groups if g not in covered)}")
    failures = recorder.failures()
    passed = len(recorder.results) - len(failures)
    print(f"conformance: {passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
