"""Notification texts. A payload carries the facts; the wording lives here, in
English and (for customers) Russian: `templates_ru`."""

from collections.abc import Callable
from typing import Any

from cybervpn.application.notifications import templates_ru
from cybervpn.domain.notifications.notification import Template


def _vpn_name(payload: dict[str, Any]) -> str:
    return str(payload.get("username") or "your VPN access")


def _expiring(payload: dict[str, Any]) -> str:
    hours = payload.get("hours_left")
    when = f"in about {hours} hours" if hours else "soon"
    return f"Your VPN access {_vpn_name(payload)} expires {when}. Renew to stay online."


def _threshold(payload: dict[str, Any]) -> str:
    percent = payload.get("percent")
    used = f"{percent}% of" if percent else "most of"
    return f"{_vpn_name(payload)} has used {used} its traffic limit."


def _device_name(payload: dict[str, Any]) -> str:
    described = [payload.get("device_model"), payload.get("platform")]
    return " / ".join(str(part) for part in described if part) or "a device"


def _node(state: str) -> Callable[[dict[str, Any]], str]:
    def render(payload: dict[str, Any]) -> str:
        name = payload.get("node_name", "a server")
        address = payload.get("address", "")
        return f"Server {name} ({address}) {state}."

    return render


def _provider(payload: dict[str, Any]) -> str:
    names = {"telegram": "Telegram", "github": "GitHub", "google": "Google"}
    provider = str(payload.get("provider", ""))
    account = f" ({payload['username']})" if payload.get("username") else ""
    return names.get(provider, provider) + account


_RENDERERS: dict[Template, Callable[[dict[str, Any]], str]] = {
    Template.VPN_EXPIRED: lambda p: (
        f"Your VPN access {_vpn_name(p)} has expired. Renew it to reconnect."
    ),
    Template.VPN_LIMITED: lambda p: (
        f"{_vpn_name(p)} reached its traffic limit and is paused until it resets."
    ),
    Template.VPN_EXPIRING: _expiring,
    Template.VPN_TRAFFIC_THRESHOLD: _threshold,
    Template.DEVICE_ADDED: lambda p: (
        f"A new device connected to your VPN access: {_device_name(p)}. If it "
        "was not you, remove it and replace your subscription link."
    ),
    Template.DEVICE_REMOVED: lambda p: (
        f"{_device_name(p)} was removed from your VPN access; its slot is free."
    ),
    Template.NODE_CONNECTION_LOST: _node("lost its connection to the panel"),
    Template.NODE_CONNECTION_RESTORED: _node("is connected again"),
    Template.PAYMENT_RECEIVED: lambda p: (
        f"Payment of {p.get('amount')} {p.get('currency')} received for "
        f"{p.get('plan_name')}. Your VPN access is being set up."
    ),
    Template.PAYMENT_REFUNDED: lambda p: (
        f"Your payment of {p.get('amount')} {p.get('currency')} for "
        f"{p.get('plan_name')} was refunded; the {p.get('days')} days it bought "
        "were taken off your VPN access."
        + (" Its monthly renewal is cancelled." if p.get("renewal_cancelled") else "")
    ),
    Template.SUBSCRIPTION_ACTIVATED: lambda p: (
        f"Your VPN access is ready until {p.get('expires_at')}. "
        f"Subscription link: {p.get('subscription_url')}"
    ),
    Template.SUBSCRIPTION_EXTENDED: lambda p: (
        f"Your VPN access now runs until {p.get('expires_at')}."
    ),
    Template.SUBSCRIPTION_EXPIRING: lambda p: (
        f"Your VPN access expires in {p.get('days_left')} day(s), on "
        f"{p.get('expires_at')}. Renew to stay online."
    ),
    Template.SUBSCRIPTION_EXPIRED: lambda p: (
        "Your VPN access has expired. Renew it to reconnect."
    ),
    Template.IDENTITY_LINKED: lambda p: (
        f"{_provider(p)} sign-in was linked to your CyberVPN account. If this was "
        "not you, change your password and unlink it."
    ),
    Template.IDENTITY_UNLINKED: lambda p: (
        f"{_provider(p)} sign-in was unlinked from your CyberVPN account."
    ),
    Template.PAYMENT_FLAGGED: lambda p: (
        f"Payment {p.get('payment_id')} (invoice {p.get('invoice_id')}) was not "
        f"credited: {p.get('reason')}. Please check it."
    ),
    Template.PROVISIONING_STALLED: lambda p: (
        f"Paid payment {p.get('payment_id')} has waited over "
        f"{p.get('minutes')} minutes for VPN provisioning."
    ),
    Template.PROVISIONING_FAILED: lambda p: (
        f"VPN provisioning of subscription {p.get('subscription_id')} gave up after "
        f"{p.get('attempts')} attempts: {p.get('error')}. Retry it from the admin API."
    ),
    Template.EMAIL_VERIFY: lambda p: (
        "Confirm that this address is yours to use it with CyberVPN (the link "
        f"works once, for 24 hours):\n\n{p.get('link')}\n\n"
        "If you did not ask for this, ignore this message."
    ),
    Template.PASSWORD_RESET: lambda p: (
        "Someone asked to reset your CyberVPN password. To choose a new one, "
        f"open this link (it works once, for 30 minutes):\n\n{p.get('link')}\n\n"
        "If it was not you, ignore this message: your password stays as it is."
    ),
    Template.EMAIL_CHANGE_REQUESTED: lambda p: (
        f"Your CyberVPN account asked to change its e-mail to {p.get('new_email')}. "
        "It changes once the new address is confirmed. If it was not you, change "
        "your password and sign out everywhere."
    ),
    Template.PASSWORD_RESET_DONE: lambda _p: (
        "Your CyberVPN password was reset and every session was signed out. If it "
        "was not you, reset it again at once."
    ),
    Template.DEPROVISIONING_FAILED: lambda p: (
        f"VPN user {p.get('username')} of a deleted account could not be deleted "
        f"after {p.get('attempts')} attempts: {p.get('error')}. Delete it by hand."
    ),
}


_SUBJECTS = {
    Template.EMAIL_VERIFY: "Confirm your e-mail address",
    Template.PASSWORD_RESET: "Reset your password",
    Template.EMAIL_CHANGE_REQUESTED: "Your e-mail address is being changed",
    Template.PASSWORD_RESET_DONE: "Your password was reset",
    Template.PAYMENT_RECEIVED: "Payment received",
    Template.PAYMENT_REFUNDED: "Payment refunded",
    Template.SUBSCRIPTION_ACTIVATED: "Your VPN access is ready",
    Template.SUBSCRIPTION_EXTENDED: "Your VPN access was extended",
    Template.SUBSCRIPTION_EXPIRING: "Your VPN access expires soon",
    Template.SUBSCRIPTION_EXPIRED: "Your VPN access expired",
    Template.DEVICE_ADDED: "A new device connected",
}


def render(
    template: Template, payload: dict[str, Any], language: str | None = None
) -> str:
    """In the reader's language when there is a text in it; English otherwise."""
    if language == "ru" and template in templates_ru.RENDERERS:
        return templates_ru.RENDERERS[template](payload)
    return _RENDERERS[template](payload)


def subject(template: Template, language: str | None = None) -> str:
    if language == "ru":
        wording = templates_ru.SUBJECTS.get(template, templates_ru.FALLBACK_SUBJECT)
    else:
        wording = _SUBJECTS.get(template, "a message about your account")
    return f"CyberVPN: {wording}"
