"""The sandbox panel's routing data: config profiles, internal squads and hosts."""

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cybervpn.infrastructure.sandbox.remnawave.records import (
    ConfigProfile,
    Node,
    User,
    fail,
    iso,
)

SQUAD_NAME_TAKEN = (409, "A120", "Internal squad name already exists")
SQUAD_NOT_FOUND = (404, "A118", "Internal squad not found")
CONFIG_PROFILE_NOT_FOUND = (404, "A111", "Config profile not found")
HOST_NOT_FOUND = (404, "A046", "Host not found")
SQUAD_NAME = re.compile(r"^[A-Za-z0-9_\s-]+$")


@dataclass
class Squad:
    uuid: str
    name: str
    inbound_uuids: list[str]
    created_at: datetime
    updated_at: datetime
    view_position: int = 0


@dataclass
class Host:
    uuid: str
    remark: str
    address: str
    port: int
    profile_uuid: str
    inbound_uuid: str
    view_position: int
    path: str | None = None
    sni: str | None = None
    host: str | None = None
    security_layer: str = "DEFAULT"
    is_disabled: bool = False
    is_hidden: bool = False
    tags: list[str] = field(default_factory=list)


class RoutingState:
    """Mixed into PanelState, which owns the dictionaries and the clock."""

    users: dict[int, User]
    nodes: dict[str, Node]
    profiles: dict[str, ConfigProfile]
    squads: dict[str, Squad]
    hosts: dict[str, Host]

    def now(self) -> datetime:
        raise NotImplementedError

    # --- config profiles -------------------------------------------------------

    def profile(self, profile_uuid: str) -> ConfigProfile:
        found = self.profiles.get(profile_uuid)
        if found is None:
            raise fail(CONFIG_PROFILE_NOT_FOUND)
        return found

    def check_inbounds(self, inbound_uuids: list[str]) -> None:
        known = {i.uuid for p in self.profiles.values() for i in p.inbounds}
        if not set(inbound_uuids) <= known:
            raise fail(CONFIG_PROFILE_NOT_FOUND)

    def profile_json(self, profile: ConfigProfile) -> dict[str, Any]:
        return {
            "uuid": profile.uuid,
            "viewPosition": 1,
            "name": profile.name,
            "tags": [],
            "config": {"inbounds": [i.tag for i in profile.inbounds]},
            "inbounds": [i.json() for i in profile.inbounds],
            "nodes": [
                {"uuid": n.uuid, "name": n.name, "countryCode": n.country_code}
                for n in self.nodes.values()
                if n.profile_uuid == profile.uuid
            ],
            "createdAt": iso(profile.created_at),
            "updatedAt": iso(profile.created_at),
        }

    def inbounds_json(self) -> list[dict[str, Any]]:
        return [
            {
                **inbound.json(),
                "activeSquads": [
                    s.uuid
                    for s in self.squads.values()
                    if inbound.uuid in s.inbound_uuids
                ],
            }
            for profile in self.profiles.values()
            for inbound in profile.inbounds
        ]

    # --- internal squads -------------------------------------------------------

    def squad(self, squad_uuid: str) -> Squad:
        found = self.squads.get(squad_uuid)
        if found is None:
            raise fail(SQUAD_NOT_FOUND)
        return found

    def _check_squad_name(self, name: str, skip: str) -> None:
        if any(s.name == name and s.uuid != skip for s in self.squads.values()):
            raise fail(SQUAD_NAME_TAKEN)

    def create_squad(self, name: str, inbound_uuids: list[str]) -> Squad:
        self._check_squad_name(name, skip="")
        self.check_inbounds(inbound_uuids)
        now = self.now()
        squad = Squad(
            str(uuid.uuid4()),
            name,
            inbound_uuids,
            now,
            now,
            view_position=len(self.squads) + 1,
        )
        self.squads[squad.uuid] = squad
        return squad

    def update_squad(
        self, squad: Squad, name: str | None, inbound_uuids: list[str] | None
    ) -> Squad:
        if name is not None:
            self._check_squad_name(name, skip=squad.uuid)
            squad.name = name
        if inbound_uuids is not None:
            self.check_inbounds(inbound_uuids)
            squad.inbound_uuids = inbound_uuids
        squad.updated_at = self.now()
        return squad

    def delete_squad(self, squad: Squad) -> None:
        del self.squads[squad.uuid]
        for user in self.users.values():
            if squad.uuid in user.squads:
                user.squads.remove(squad.uuid)

    def change_members(self, squad: Squad, user_ids: list[int], add: bool) -> None:
        for user_id in user_ids:
            user = self.users.get(user_id)
            if user is None:
                continue
            if add and squad.uuid not in user.squads:
                user.squads.append(squad.uuid)
            elif not add and squad.uuid in user.squads:
                user.squads.remove(squad.uuid)

    def squad_json(self, squad: Squad) -> dict[str, Any]:
        inbounds = [
            i.json()
            for p in self.profiles.values()
            for i in p.inbounds
            if i.uuid in squad.inbound_uuids
        ]
        members = sum(1 for u in self.users.values() if squad.uuid in u.squads)
        return {
            "uuid": squad.uuid,
            "viewPosition": squad.view_position,
            "name": squad.name,
            "tags": [],
            "info": {"membersCount": members, "inboundsCount": len(inbounds)},
            "inbounds": inbounds,
            "createdAt": iso(squad.created_at),
            "updatedAt": iso(squad.updated_at),
        }

    # --- hosts -----------------------------------------------------------------

    def host(self, host_uuid: str) -> Host:
        found = self.hosts.get(host_uuid)
        if found is None:
            raise fail(HOST_NOT_FOUND)
        return found

    def _check_host_inbound(self, profile_uuid: str, inbound_uuid: str) -> None:
        profile = self.profile(profile_uuid)
        if inbound_uuid not in {i.uuid for i in profile.inbounds}:
            raise fail(CONFIG_PROFILE_NOT_FOUND)

    def create_host(self, values: dict[str, Any]) -> Host:
        self._check_host_inbound(values["profile_uuid"], values["inbound_uuid"])
        host = Host(uuid=str(uuid.uuid4()), view_position=len(self.hosts) + 1, **values)
        self.hosts[host.uuid] = host
        return host

    def update_host(self, host: Host, values: dict[str, Any]) -> Host:
        if "inbound_uuid" in values:
            self._check_host_inbound(values["profile_uuid"], values["inbound_uuid"])
        for name, value in values.items():
            setattr(host, name, value)
        return host

    def delete_host(self, host: Host) -> None:
        del self.hosts[host.uuid]

    @staticmethod
    def host_json(host: Host) -> dict[str, Any]:
        return {
            "uuid": host.uuid,
            "viewPosition": host.view_position,
            "remark": host.remark,
            "address": host.address,
            "port": host.port,
            "path": host.path,
            "sni": host.sni,
            "host": host.host,
            "alpn": None,
            "fingerprint": None,
            "isDisabled": host.is_disabled,
            "securityLayer": host.security_layer,
            "xhttpExtraParams": None,
            "muxParams": None,
            "sockoptParams": None,
            "finalMask": None,
            "inbound": {
                "configProfileUuid": host.profile_uuid,
                "configProfileInboundUuid": host.inbound_uuid,
            },
            "serverDescription": None,
            "tags": host.tags,
            "isHidden": host.is_hidden,
            "overrideSniFromAddress": False,
            "keepSniBlank": False,
            "vlessRouteId": None,
            "pinnedPeerCertSha256": None,
            "verifyPeerCertByName": None,
            "shuffleHost": False,
            "mihomoX25519": False,
            "mihomoIpVersion": None,
            "nodes": [],
            "xrayJsonTemplateUuid": None,
            "excludeFromSubscriptionTypes": [],
            "mapper": {
                "xrayJson": None,
                "mihomo": None,
                "base64": None,
                "singbox": None,
            },
            "internalSquads": {"mode": "EXCLUDE", "squads": []},
        }
