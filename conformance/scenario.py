"""The conformance scenario: the official SDK drives a running emulator, group by group.

    python scenario.py --endpoint http://127.0.0.1:N --token T

Every step is a real SDK call (or a few) whose result is checked against what was sent.
A failing step is recorded with its error and the scenario goes on, so one run shows
every disagreement; the exit code is 1 if any step failed.
"""

import argparse
import inspect
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

    def table(self) -> str:
        groups: dict = {}
        for result in self.results:
            steps, passed = groups.get(result.group, (0, 0))
            groups[result.group] = (steps + 1, passed + (result.error is None))
        width = max(len("group"), *(len(g) for g in groups))
        lines = [f"{'group':<{width}}  steps  passed", f"{'-' * width}  -----  ------"]
        for group, (steps, passed) in groups.items():
            lines.append(f"{group:<{width}}  {steps:>5}  {passed:>6}")
        total = len(self.results)
        passed = sum(r.error is None for r in self.results)
        lines.append(f"{'total':<{width}}  {total:>5}  {passed:>6}")
        return "\n".join(lines)

    def failures(self) -> list:
        return [r for r in self.results if r.error is not None]


# ---------------------------------------------------------------------------------------
# The generic life cycle of one resource


@dataclass(frozen=True)
class Group:
    """One operation group and a resource to take through its life cycle.

    `parents` are the path arguments between the service and the resource id (e.g. a
    workspace id). What the group can do (entity tag, update, long-running create or
    delete, If-Match on delete) is read from the SDK's own methods, so the steps follow
    the description rather than a list kept here.
    """

    attribute: str
    name: str
    create: Callable[[], Any]
    list_method: str
    parents: tuple = ()
    update: Optional[Callable[[], Any]] = None
    # Checks that the update reached the resource, on the SDK's model.
    updated: Optional[Callable[[Any], bool]] = None
    entity_tag_method: str = "get_entity_tag"


def operations(client, group: Group):
    return getattr(client, group.attribute)


def path_args(group: Group) -> tuple:
    return (RG, SVC, *group.parents, group.name)


def takes(method, parameter: str) -> bool:
    return parameter in inspect.signature(method).parameters


def create(client, group: Group):
    ops = operations(client, group)
    if hasattr(ops, "begin_create_or_update"):
        resource = long_running(
            lambda: ops.begin_create_or_update(*path_args(group), group.create(), **LRO))
    else:
        resource = ops.create_or_update(*path_args(group), group.create(), **CALL)
    expect(resource.name == group.name, f"created name {resource.name!r}")
    return resource


def get_with_etag(client, group: Group):
    resource, etag = operations(client, group).get(*path_args(group), cls=with_etag, **CALL)
    expect(resource.name == group.name, f"got name {resource.name!r}")
    expect(resource.id.lower().startswith(SERVICE_ID.lower()), f"id {resource.id!r}")
    expect(bool(etag), "no ETag header on get")
    return etag


def entity_tag(client, group: Group):
    exists = getattr(operations(client, group), group.entity_tag_method)(
        *path_args(group), **CALL
    )
    expect(exists is True, f"{group.entity_tag_method} returned {exists!r}")


def list_contains(client, group: Group):
    answer = getattr(operations(client, group), group.list_method)(
        RG, SVC, *group.parents, **CALL
    )
    # Most lists are pagers; a few (e.g. api_policy.list_by_api) return one collection
    # model, because the description gives them no nextLink.
    items = answer.value if hasattr(answer, "value") else answer
    names = [item.name for item in items]
    expect(group.name in names, f"{group.name!r} not in {names}")


def update(client, group: Group, etag: Optional[str]):
    ops = operations(client, group)
    expect(etag is not None, "no ETag from get to update with")
    if hasattr(ops, "begin_update"):
        resource = long_running(lambda: ops.begin_update(
            *path_args(group), if_match=etag, parameters=group.update(), **LRO))
    else:
        resource = ops.update(*path_args(group), if_match=etag, parameters=group.update(), **CALL)
    expect(group.updated(resource), "the update is not in the answer")
    # And a fresh read sees it too.
    expect(group.updated(operations(client, group).get(*path_args(group), **CALL)),
           "the update is not in a later get")


def delete(client, group: Group):
    """Deletes with the current ETag (if the method takes one), then expects a 404."""
    ops = operations(client, group)
    method = ops.begin_delete if hasattr(ops, "begin_delete") else ops.delete
    if_match = {}
    if takes(method, "if_match"):
        if_match = {"if_match": get_with_etag(client, group)}
    if hasattr(ops, "begin_delete"):
        long_running(lambda: method(*path_args(group), **if_match, **LRO))
    else:
        method(*path_args(group), **if_match, **CALL)
    try:
        ops.get(*path_args(group), **CALL)
    except ResourceNotFoundError:
        return
    raise Check("the resource is still there after delete")


def life_cycle(recorder: Recorder, client, group: Group, extra=()) -> None:
    """create, get, entity tag, list, update, the group's extra steps, delete."""
    name = group.attribute
    ops = operations(client, group)
    recorder.run(name, "create", lambda: create(client, group))
    etag = recorder.run(name, "get", lambda: get_with_etag(client, group))
    if hasattr(ops, group.entity_tag_method):
        recorder.run(name, group.entity_tag_method, lambda: entity_tag(client, group))
    recorder.run(name, group.list_method, lambda: list_contains(client, group))
    if group.update is not None:
        recorder.run(name, "update", lambda: update(client, group, etag))
    for step, action in extra:
        recorder.run(name, step, lambda: action(client, group))
    recorder.run(name, "delete", lambda: delete(client, group))


# ---------------------------------------------------------------------------------------
# Steps beyond the life cycle


def backend_reconnect(client, group: Group):
    after = timedelta(minutes=2)
    answer = client.backend.reconnect(
        *path_args(group), parameters=m.BackendReconnectContract(after=after), **CALL
    )
    expect(answer is None, f"reconnect returned {answer!r}")


def backend_paging(client, group: Group):
    """Two more backends, listed one per page: the pager must follow nextLink."""
    extra = [f"{group.name}-page{i}" for i in (1, 2)]
    for name in extra:
        client.backend.create_or_update(RG, SVC, name, backend_contract(), **CALL)
    names = [b.name for b in client.backend.list_by_service(RG, SVC, top=1, **CALL)]
    for name in extra:
        client.backend.delete(RG, SVC, name, if_match="*", **CALL)
    expect(sorted(names) == sorted([group.name, *extra]), f"paged names {names}")


def named_value_list_value(client, group: Group):
    secret = client.named_value.list_value(*path_args(group), **CALL)
    expect(secret.value == "v2", f"listValue returned {secret.value!r}")


def named_value_refresh_secret(client, group: Group):
    resource = long_running(
        lambda: operations(client, group).begin_refresh_secret(*path_args(group), **LRO))
    expect(resource.name == group.name, f"refreshSecret returned {resource!r}")


def named_value_list_value_v1(client, group: Group):
    secret = operations(client, group).list_value(*path_args(group), **CALL)
    expect(secret.value == "v1", f"listValue returned {secret.value!r}")


def subscription_secrets(client, group: Group):
    """listSecrets gives the keys the subscription was created with."""
    keys = client.subscription.list_secrets(*path_args(group), **CALL)
    expect((keys.primary_key, keys.secondary_key) == ("conf-pk", "conf-sk"), f"keys {keys}")


def subscription_regenerate(client, group: Group):
    """A regenerated primary key differs from the old one; the secondary stays."""
    client.subscription.regenerate_primary_key(*path_args(group), **CALL)
    keys = client.subscription.list_secrets(*path_args(group), **CALL)
    expect(keys.primary_key not in (None, "conf-pk"), f"primary {keys.primary_key!r}")
    expect(keys.secondary_key == "conf-sk", f"secondary {keys.secondary_key!r}")


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
        names = [s.name for s in client.api_management_service.list_by_resource_group(
            RG, **CALL)]
        expect(SVC in names, f"{SVC!r} not in {names}")

    def list_all():
        names = [s.name for s in client.api_management_service.list(**CALL)]
        expect(SVC in names, f"{SVC!r} not in {names}")

    def skus():
        tiers = [sku.name for sku in client.api_management_skus.list(**CALL)]
        expect("Developer" in tiers, f"tiers {tiers}")
        available = [r.sku.name for r in
                     client.api_management_service_skus.list_available_service_skus(
                         RG, SVC, **CALL)]
        expect("Premium" in available, f"available {available}")

    def provider_operations():
        listed = [o.name for o in client.api_management_operations.list(**CALL)]
        expect("Microsoft.ApiManagement/service/read" in listed, f"{len(listed)} operations")

    recorder.run(name, "get.read_only_properties", read_only_properties)
    recorder.run(name, "skus", skus)
    recorder.run(name, "api_management_operations.list", provider_operations)
    recorder.run(name, "list_by_resource_group", list_by_resource_group)
    recorder.run(name, "list", list_all)


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
# Actions (POST) beyond the life cycles' own: each answers its documented model, with data
# that agrees with what was stored


def actions(recorder: Recorder, client) -> None:
    """The description's actions not driven by a group's life cycle above."""
    group = "actions"
    api = PARENTS["api"]
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
        check = long_running(lambda: client.begin_perform_connectivity_check_async(
            RG, SVC, m.ConnectivityCheckRequest(
                source=m.ConnectivityCheckRequestSource(region="westeurope"),
                destination=m.ConnectivityCheckRequestDestination(
                    address="https://example.com", port=443)), **LRO))
        expect(check.connection_status == "Connected", f"status {check.connection_status!r}")
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
        client.user_confirmation_password.send(RG, SVC, user, **CALL)

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

    def secrets():
        facebook = client.identity_provider.list_secrets(RG, SVC, "facebook", **CALL)
        expect(facebook.client_secret == "fb-secret", f"{facebook.client_secret!r}")
        oidc = client.open_id_connect_provider.list_secrets(RG, SVC, "act-oidc", **CALL)
        expect(oidc.client_secret == "oidc-secret", f"{oidc.client_secret!r}")
        delegation = client.delegation_settings.list_secrets(RG, SVC, **CALL)
        expect(bool(delegation.validation_key), "no validation key")
        certificate = client.certificate.refresh_secret(RG, SVC, "act-cert", **CALL)
        expect(certificate.key_vault.last_status.code == "Success",
               f"{certificate.key_vault.last_status}")

    def fragment_references():
        references = client.policy_fragment.list_references(RG, SVC, "act-fragment", **CALL)
        names = [r.name for r in references.value]
        expect(names == ["policy"], f"references {names}")

    def authorization_actions():
        link = client.authorization_login_links.post(RG, SVC, provider, authorization,
            m.AuthorizationLoginRequestContract(post_login_redirect_url="https://app.example/"),
            **CALL)
        expect(link.login_link.startswith("https://"), f"login link {link.login_link!r}")
        client.authorization.confirm_consent_code(RG, SVC, provider, authorization,
            m.AuthorizationConfirmConsentCodeRequestContract(consent_code="code"), **CALL)
        got = client.authorization.get(RG, SVC, provider, authorization, **CALL)
        expect(got.status == "Connected", f"status {got.status!r}")

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

    for step, action in (("setup", setup), ("api_management_service", service_actions),
                         ("tenant_configuration", git_configuration),
                         ("tenant_access", tenant_access), ("user", user_actions),
                         ("gateway", gateway_actions), ("list_secrets", secrets),
                         ("policy_fragment.list_references", fragment_references),
                         ("authorization", authorization_actions), ("cleanup", cleanup)):
        recorder.run(group, step, action)


# ---------------------------------------------------------------------------------------
# Outside service/{serviceName}: top-level gateways, deleted services


def api_gateway(recorder: Recorder, client) -> None:
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

    def lists():
        skus = [r.sku.name for r in
                client.api_management_gateway_skus.list_available_skus(RG, gateway, **CALL)]
        expect("Standard" in skus, f"gateway skus {skus}")
        by_group = [g.name for g in ops.list_by_resource_group(RG, **CALL)]
        everywhere = [g.name for g in ops.list(**CALL)]
        expect(gateway in by_group and gateway in everywhere, f"{by_group} {everywhere}")

    def update():
        updated = long_running(lambda: ops.begin_update(
            RG, gateway, m.ApiManagementGatewayUpdateParameters(
                sku=m.ApiManagementGatewaySkuProperties(name="Standard", capacity=2)), **LRO))
        expect(updated.sku.capacity == 2, f"sku {updated.sku}")
        expect(ops.get(RG, gateway, **CALL).sku.capacity == 2, "the update is not in a get")

    def config_connection():
        connections = client.api_gateway_config_connection
        created = long_running(lambda: connections.begin_create_or_update(
            RG, gateway, connection, m.ApiManagementGatewayConfigConnectionResource(
                source_id=f"{SERVICE_ID}/workspaces/{PARENTS['workspace']}"), **LRO))
        expect(created.name == connection, f"created {created.name!r}")
        got = connections.get(RG, gateway, connection, **CALL)
        expect(bool(got.default_hostname), "no default hostname")
        listed = [c.name for c in connections.list_by_gateway(RG, gateway, **CALL)]
        expect(connection in listed, f"not in {listed}")
        long_running(lambda: connections.begin_delete(
            RG, gateway, connection, if_match="*", **LRO))

    def delete():
        long_running(lambda: ops.begin_delete(RG, gateway, **LRO))
        try:
            ops.get(RG, gateway, **CALL)
        except ResourceNotFoundError:
            return
        raise Check("the gateway is still there after delete")

    for step, action in (("begin_create_or_update", create), ("list", lists),
                         ("begin_update", update), ("config_connection", config_connection),
                         ("begin_delete", delete)):
        recorder.run(name, step, action)


def deleted_services(recorder: Recorder, client) -> None:
    """After the service's delete: it is listed as deleted until purged."""
    name, ops = "deleted_services", client.deleted_services

    def listed():
        names = [d.name for d in ops.list_by_subscription(**CALL)]
        expect(SVC in names, f"{SVC!r} not in {names}")

    def get():
        deleted = ops.get_by_name(SVC, "westeurope", **CALL)
        expect(deleted.service_id.lower() == SERVICE_ID.lower(), f"service id {deleted.service_id!r}")
        expect(deleted.scheduled_purge_date is not None, "no scheduledPurgeDate")

    def purge():
        long_running(lambda: ops.begin_purge(SVC, "westeurope", **LRO))
        try:
            ops.get_by_name(SVC, "westeurope", **CALL)
        except ResourceNotFoundError:
            return
        raise Check("the deleted service is still there after purge")

    for step, action in (("list_by_subscription", listed), ("get_by_name", get),
                         ("begin_purge", purge)):
        recorder.run(name, step, action)


# ---------------------------------------------------------------------------------------
# Links: PUTs without a body (the description gives these operations no body parameter)


def links(recorder: Recorder, client) -> None:
    """Each link: create (no body), its existence check or get, list, delete."""
    product, api, tag = PARENTS["product"], PARENTS["api"], PARENTS["tag"]

    def names(items) -> list:
        return [item.name for item in items]

    def product_api():
        linked = client.product_api.create_or_update(RG, SVC, product, api, **CALL)
        expect(linked.name == api, f"linked {linked.name!r}")
        expect(linked.display_name == "Parent API", f"display name {linked.display_name!r}")
        expect(client.product_api.check_entity_exists(RG, SVC, product, api, **CALL) is True,
               "check_entity_exists")
        listed = names(client.product_api.list_by_product(RG, SVC, product, **CALL))
        expect(api in listed, f"{api!r} not in {listed}")
        client.product_api.delete(RG, SVC, product, api, **CALL)

    def product_group():
        linked = client.product_group.create_or_update(RG, SVC, product, "developers", **CALL)
        expect(linked.name == "developers", f"linked {linked.name!r}")
        expect(client.product_group.check_entity_exists(
            RG, SVC, product, "developers", **CALL) is True, "check_entity_exists")
        listed = names(client.product_group.list_by_product(RG, SVC, product, **CALL))
        expect("developers" in listed, f"not in {listed}")
        client.product_group.delete(RG, SVC, product, "developers", **CALL)

    def tag_assign_to_api():
        linked = client.tag.assign_to_api(RG, SVC, api, tag, **CALL)
        expect(linked.display_name == "parent", f"display name {linked.display_name!r}")
        expect(client.tag.get_by_api(RG, SVC, api, tag, **CALL).name == tag, "get_by_api")
        listed = names(client.tag.list_by_api(RG, SVC, api, **CALL))
        expect(tag in listed, f"{tag!r} not in {listed}")
        client.tag.detach_from_api(RG, SVC, api, tag, **CALL)

    def group_user():
        # The group is the link's parent and must exist (the user, the linked resource,
        # need not).
        client.group.create_or_update(
            RG, SVC, "conf-link-group", m.GroupCreateParameters(display_name="Link group"),
            **CALL)
        linked = client.group_user.create(RG, SVC, "conf-link-group", "conf-link-user", **CALL)
        expect(linked.name == "conf-link-user", f"linked {linked.name!r}")
        expect(client.group_user.check_entity_exists(
            RG, SVC, "conf-link-group", "conf-link-user", **CALL) is True,
            "check_entity_exists")
        listed = names(client.group_user.list(RG, SVC, "conf-link-group", **CALL))
        expect("conf-link-user" in listed, f"not in {listed}")
        client.group_user.delete(RG, SVC, "conf-link-group", "conf-link-user", **CALL)
        client.group.delete(RG, SVC, "conf-link-group", if_match="*", **CALL)

    notification = "RequestPublisherNotificationMessage"

    def notification_create():
        created = client.notification.create_or_update(RG, SVC, notification, **CALL)
        expect(created.name == notification, f"created {created.name!r}")
        listed = names(client.notification.list_by_service(RG, SVC, **CALL))
        expect(notification in listed, f"not in {listed}")

    def recipient_email():
        email = "ops@contoso.example"
        ops = client.notification_recipient_email
        created = ops.create_or_update(RG, SVC, notification, email, **CALL)
        expect(created.name == email, f"created {created.name!r}")
        expect(ops.check_entity_exists(RG, SVC, notification, email, **CALL) is True,
               "check_entity_exists")
        listed = [r.name for r in ops.list_by_notification(RG, SVC, notification, **CALL).value]
        expect(email in listed, f"not in {listed}")
        ops.delete(RG, SVC, notification, email, **CALL)

    for step, action in (("product_api", product_api), ("product_group", product_group),
                         ("tag.assign_to_api", tag_assign_to_api), ("group_user", group_user),
                         ("notification", notification_create),
                         ("notification_recipient_email", recipient_email)):
        recorder.run("links", step, action)


def portal_revision(recorder: Recorder, client) -> None:
    """Create and update are long-running; a revision cannot be deleted."""
    name, revision = "portal_revision", "conf-rev"
    ops = client.portal_revision

    def create():
        created = long_running(lambda: ops.begin_create_or_update(
            RG, SVC, revision, m.PortalRevisionContract(description="first"), **LRO))
        expect(created.name == revision, f"created {created.name!r}")

    def update():
        _, etag = ops.get(RG, SVC, revision, cls=with_etag, **CALL)
        updated = long_running(lambda: ops.begin_update(
            RG, SVC, revision, if_match=etag,
            parameters=m.PortalRevisionContract(description="second"), **LRO))
        expect(updated.description == "second", f"description {updated.description!r}")

    recorder.run(name, "begin_create_or_update", create)
    recorder.run(name, "begin_update", update)


# ---------------------------------------------------------------------------------------
# The groups


def backend_contract():
    return m.BackendContract(url="https://backend.contoso.example", protocol="http")


def groups_and_extras() -> list:
    """Each group with the steps it has beyond the life cycle. Parents come first."""
    workspace, tag, product, api = (PARENTS[k] for k in ("workspace", "tag", "product", "api"))
    return [
        (Group("workspace", "conf-ws", list_method="list_by_service",
               create=lambda: m.WorkspaceContract(display_name="Conformance"),
               update=lambda: m.WorkspaceContract(display_name="Conformance",
                                                  description="updated"),
               updated=lambda r: r.description == "updated"), ()),
        (Group("backend", "conf-backend", list_method="list_by_service",
               create=backend_contract,
               update=lambda: m.BackendUpdateParameters(description="updated"),
               updated=lambda r: r.description == "updated"),
         (("reconnect", backend_reconnect), ("list_by_service.paged", backend_paging))),
        (Group("workspace_backend", "conf-ws-backend", parents=(workspace,),
               list_method="list_by_workspace", create=backend_contract,
               update=lambda: m.BackendUpdateParameters(description="updated"),
               updated=lambda r: r.description == "updated"), ()),
        (Group("named_value", "conf-nv", list_method="list_by_service",
               create=lambda: m.NamedValueCreateContract(display_name="conf-nv", value="v1"),
               update=lambda: m.NamedValueUpdateParameters(value="v2"),
               updated=lambda r: r.value == "v2"),
         (("list_value", named_value_list_value),
          ("begin_refresh_secret", named_value_refresh_secret))),
        (Group("api", "conf-api", list_method="list_by_service",
               create=lambda: m.ApiCreateOrUpdateParameter(
                   display_name="Conformance API", path="conf", protocols=["https"],
                   service_url="https://backend.contoso.example"),
               update=lambda: m.ApiUpdateContract(description="updated"),
               updated=lambda r: r.description == "updated"), ()),
        (Group("product", "conf-product", list_method="list_by_service",
               create=lambda: m.ProductContract(display_name="Conformance product"),
               update=lambda: m.ProductUpdateParameters(description="updated"),
               updated=lambda r: r.description == "updated"), ()),
        (Group("tag", "conf-tag", list_method="list_by_service",
               entity_tag_method="get_entity_state",
               create=lambda: m.TagCreateUpdateParameters(display_name="conf"),
               update=lambda: m.TagCreateUpdateParameters(display_name="updated"),
               updated=lambda r: r.display_name == "updated"), ()),
        (Group("tag_product_link", "conf-link", parents=(tag,), list_method="list_by_product",
               create=lambda: m.TagProductLinkContract(
                   product_id=f"{SERVICE_ID}/products/{product}")), ()),
        (Group("api_operation", "conf-op", parents=(api,), list_method="list_by_api",
               create=lambda: m.OperationContract(
                   display_name="Get thing", method="GET", url_template="/things/{id}",
                   template_parameters=[m.ParameterContract(name="id", type="string",
                                                            required=True)]),
               update=lambda: m.OperationUpdateContract(description="updated"),
               updated=lambda r: r.description == "updated"), ()),
        (Group("api_version_set", "conf-vs", list_method="list_by_service",
               create=lambda: m.ApiVersionSetContract(display_name="conf",
                                                      versioning_scheme="Segment"),
               update=lambda: m.ApiVersionSetUpdateParameters(description="updated"),
               updated=lambda r: r.description == "updated"), ()),
        (Group("group", "conf-group", list_method="list_by_service",
               create=lambda: m.GroupCreateParameters(display_name="Conformance group"),
               update=lambda: m.GroupUpdateParameters(description="updated"),
               updated=lambda r: r.description == "updated"), ()),
        (Group("subscription", "conf-sub", list_method="list",
               create=lambda: m.SubscriptionCreateParameters(
                   scope="/apis", display_name="conf", primary_key="conf-pk",
                   secondary_key="conf-sk"),
               update=lambda: m.SubscriptionUpdateParameters(display_name="updated"),
               updated=lambda r: r.display_name == "updated"),
         (("list_secrets", subscription_secrets),
          ("regenerate_primary_key", subscription_regenerate))),
        (Group("policy", "policy", list_method="list_by_service",
               create=lambda: m.PolicyContract(value="<policies />", format="xml")), ()),
        (Group("api_policy", "policy", parents=(api,), list_method="list_by_api",
               create=lambda: m.PolicyContract(value="<policies />", format="xml")), ()),
        (Group("product_policy", "policy", parents=(product,), list_method="list_by_product",
               create=lambda: m.PolicyContract(value="<policies />", format="xml")), ()),
        (Group("logger", "conf-logger", list_method="list_by_service",
               create=lambda: m.LoggerContract(logger_type="applicationInsights",
                                               credentials={"instrumentationKey": "k"}),
               update=lambda: m.LoggerUpdateContract(description="updated"),
               updated=lambda r: r.description == "updated"), ()),
        (Group("diagnostic", "applicationinsights", list_method="list_by_service",
               create=lambda: m.DiagnosticContract(
                   logger_id=f"{SERVICE_ID}/loggers/conf-logger"),
               update=lambda: m.DiagnosticUpdateContract(verbosity="error"),
               updated=lambda r: r.verbosity == "error"), ()),
        (Group("cache", "conf-cache", list_method="list_by_service",
               create=lambda: m.CacheContract(connection_string="redis:6380",
                                              use_from_location="default"),
               update=lambda: m.CacheUpdateParameters(description="updated"),
               updated=lambda r: r.description == "updated"), ()),
        (Group("workspace_product", "conf-ws-product", parents=(workspace,),
               list_method="list_by_service",
               create=lambda: m.ProductContract(display_name="Workspace product"),
               update=lambda: m.ProductUpdateParameters(description="updated"),
               updated=lambda r: r.description == "updated"), ()),
        (Group("workspace_tag", "conf-ws-tag", parents=(workspace,),
               list_method="list_by_service", entity_tag_method="get_entity_state",
               create=lambda: m.TagCreateUpdateParameters(display_name="conf"),
               update=lambda: m.TagCreateUpdateParameters(display_name="updated"),
               updated=lambda r: r.display_name == "updated"), ()),
        (Group("global_schema", "conf-schema", list_method="list_by_service",
               create=lambda: m.GlobalSchemaContract(schema_type="json",
                                                     document={"type": "object"})), ()),
        (Group("policy_fragment", "conf-fragment", list_method="list_by_service",
               create=lambda: m.PolicyFragmentContract(value="<fragment />", format="xml")),
         ()),
        (Group("workspace_api", "conf-ws-api", parents=(workspace,),
               list_method="list_by_service",
               create=lambda: m.ApiCreateOrUpdateParameter(
                   display_name="Workspace API", path="ws", protocols=["https"]),
               update=lambda: m.ApiUpdateContract(description="updated"),
               updated=lambda r: r.description == "updated"), ()),
        (Group("workspace_named_value", "conf-ws-nv", parents=(workspace,),
               list_method="list_by_service",
               create=lambda: m.NamedValueCreateContract(display_name="conf-ws-nv", value="v1"),
               update=lambda: m.NamedValueUpdateParameters(value="v1", tags=["t"]),
               updated=lambda r: r.tags == ["t"]),
         (("list_value", named_value_list_value_v1),
          ("begin_refresh_secret", named_value_refresh_secret))),
        (Group("user", "conf-user", list_method="list_by_service",
               create=lambda: m.UserCreateParameters(email="user@contoso.example",
                                                     first_name="Con", last_name="Formance"),
               update=lambda: m.UserUpdateParameters(note="updated"),
               updated=lambda r: r.note == "updated"), ()),
    ]


# The resources that other groups' resources live under (a workspace, a tag, a product, an
# api). Like APIM, the emulator answers 404 to a child whose parent does not exist, so
# they are created first.
PARENTS = {"workspace": "parent-ws", "tag": "parent-tag", "product": "parent-product",
           "api": "parent-api"}


def parents_create(recorder: Recorder, client) -> None:
    bodies = {
        "workspace": m.WorkspaceContract(display_name="Parent"),
        "tag": m.TagCreateUpdateParameters(display_name="parent"),
        "product": m.ProductContract(display_name="Parent product"),
        "api": m.ApiCreateOrUpdateParameter(display_name="Parent API", path="parent",
                                            protocols=["https"]),
    }
    for attribute, body in bodies.items():
        group = Group(attribute, PARENTS[attribute], create=lambda body=body: body,
                      list_method="")
        recorder.run("parents", f"{attribute}.create", lambda group=group: create(client, group))


def parents_delete(recorder: Recorder, client) -> None:
    # The reverse of the creation order, as a client tidying up would.
    for attribute in ("api", "product", "tag", "workspace"):
        group = Group(attribute, PARENTS[attribute], create=lambda: None, list_method="")
        recorder.run("parents", f"{attribute}.delete", lambda group=group: delete(client, group))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--verbose", action="store_true", help="print tracebacks")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    client = ApiManagementClient(
        StaticToken(args.token), subscription_id=SUBSCRIPTION, base_url=args.endpoint,
        raw_response_hook=WIRE.hook,
    )
    recorder = Recorder(verbose=args.verbose)
    api_management_service(recorder, client)
    api_management_service_resource(recorder, client)
    parents_create(recorder, client)
    for group, extra in groups_and_extras():
        life_cycle(recorder, client, group, extra)
    links(recorder, client)
    portal_revision(recorder, client)
    actions(recorder, client)
    api_gateway(recorder, client)
    parents_delete(recorder, client)
    api_management_service_delete(recorder, client)
    deleted_services(recorder, client)
    print()
    print(recorder.table())
    failures = recorder.failures()
    passed = len(recorder.results) - len(failures)
    print(f"conformance: {passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
