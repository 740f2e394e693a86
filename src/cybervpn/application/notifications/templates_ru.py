"""Russian texts of the customer's notifications (staff alerts stay in English).
A template missing here is sent in English."""

from collections.abc import Callable
from typing import Any

from cybervpn.domain.notifications.notification import Template


def _vpn_name(payload: dict[str, Any]) -> str:
    return str(payload.get("username") or "ваш VPN-доступ")


def _expiring(payload: dict[str, Any]) -> str:
    hours = payload.get("hours_left")
    when = f"примерно через {hours} ч" if hours else "скоро"
    return f"VPN-доступ {_vpn_name(payload)} закончится {when}. Продлите его."


def _threshold(payload: dict[str, Any]) -> str:
    percent = payload.get("percent")
    used = f"{percent}%" if percent else "большую часть"
    return f"{_vpn_name(payload)}: израсходовано {used} лимита трафика."


def _device_name(payload: dict[str, Any]) -> str:
    described = [payload.get("device_model"), payload.get("platform")]
    return " / ".join(str(part) for part in described if part) or "устройство"


def _provider(payload: dict[str, Any]) -> str:
    names = {"telegram": "Telegram", "github": "GitHub", "google": "Google"}
    provider = str(payload.get("provider", ""))
    account = f" ({payload['username']})" if payload.get("username") else ""
    return names.get(provider, provider) + account


RENDERERS: dict[Template, Callable[[dict[str, Any]], str]] = {
    Template.VPN_EXPIRED: lambda p: (
        f"VPN-доступ {_vpn_name(p)} закончился. Продлите его, чтобы подключиться."
    ),
    Template.VPN_LIMITED: lambda p: (
        f"{_vpn_name(p)}: лимит трафика исчерпан, доступ приостановлен до сброса."
    ),
    Template.VPN_EXPIRING: _expiring,
    Template.VPN_TRAFFIC_THRESHOLD: _threshold,
    Template.DEVICE_ADDED: lambda p: (
        f"К вашему VPN-доступу подключилось новое устройство: {_device_name(p)}. "
        "Если это не вы, удалите его и замените ссылку подписки."
    ),
    Template.DEVICE_REMOVED: lambda p: (
        f"Устройство {_device_name(p)} отключено от VPN-доступа; место свободно."
    ),
    Template.PAYMENT_RECEIVED: lambda p: (
        f"Оплата {p.get('amount')} {p.get('currency')} за «{p.get('plan_name')}» "
        "получена. Ваш VPN-доступ настраивается."
    ),
    Template.PAYMENT_REFUNDED: lambda p: (
        f"Оплата {p.get('amount')} {p.get('currency')} за «{p.get('plan_name')}» "
        f"возвращена; оплаченные ею дни ({p.get('days')}) сняты с VPN-доступа."
        + (" Ежемесячное продление отменено." if p.get("renewal_cancelled") else "")
    ),
    Template.SUBSCRIPTION_ACTIVATED: lambda p: (
        f"Ваш VPN-доступ готов и действует до {p.get('expires_at')}. "
        f"Ссылка подписки: {p.get('subscription_url')}"
    ),
    Template.SUBSCRIPTION_EXTENDED: lambda p: (
        f"Ваш VPN-доступ продлён до {p.get('expires_at')}."
    ),
    Template.SUBSCRIPTION_EXPIRING: lambda p: (
        f"VPN-доступ закончится через {p.get('days_left')} дн., "
        f"{p.get('expires_at')}. Продлите его, чтобы остаться на связи."
    ),
    Template.SUBSCRIPTION_EXPIRED: lambda _p: (
        "Ваш VPN-доступ закончился. Продлите его, чтобы подключиться."
    ),
    Template.IDENTITY_LINKED: lambda p: (
        f"К аккаунту CyberVPN привязан вход через {_provider(p)}. Если это не вы, "
        "смените пароль и отвяжите его."
    ),
    Template.IDENTITY_UNLINKED: lambda p: (
        f"Вход через {_provider(p)} отвязан от аккаунта CyberVPN."
    ),
    Template.EMAIL_VERIFY: lambda p: (
        "Подтвердите, что этот адрес ваш, чтобы использовать его в CyberVPN "
        f"(ссылка действует один раз, 24 часа):\n\n{p.get('link')}\n\n"
        "Если вы этого не запрашивали, просто проигнорируйте письмо."
    ),
    Template.PASSWORD_RESET: lambda p: (
        "Кто-то запросил сброс пароля CyberVPN. Чтобы задать новый, откройте "
        f"ссылку (действует один раз, 30 минут):\n\n{p.get('link')}\n\n"
        "Если это были не вы, проигнорируйте письмо: пароль останется прежним."
    ),
    Template.EMAIL_CHANGE_REQUESTED: lambda p: (
        f"Для аккаунта CyberVPN запрошена смена e-mail на {p.get('new_email')}. "
        "Адрес сменится после подтверждения нового. Если это не вы, смените "
        "пароль и завершите все сеансы."
    ),
    Template.PASSWORD_RESET_DONE: lambda _p: (
        "Пароль CyberVPN сброшен, все сеансы завершены. Если это были не вы, "
        "сразу сбросьте его снова."
    ),
}

SUBJECTS = {
    Template.EMAIL_VERIFY: "Подтвердите e-mail",
    Template.PASSWORD_RESET: "Сброс пароля",
    Template.EMAIL_CHANGE_REQUESTED: "Смена e-mail",
    Template.PASSWORD_RESET_DONE: "Пароль сброшен",
    Template.PAYMENT_RECEIVED: "Оплата получена",
    Template.PAYMENT_REFUNDED: "Оплата возвращена",
    Template.SUBSCRIPTION_ACTIVATED: "VPN-доступ готов",
    Template.SUBSCRIPTION_EXTENDED: "VPN-доступ продлён",
    Template.SUBSCRIPTION_EXPIRING: "VPN-доступ скоро закончится",
    Template.SUBSCRIPTION_EXPIRED: "VPN-доступ закончился",
    Template.DEVICE_ADDED: "Подключено новое устройство",
}
FALLBACK_SUBJECT = "сообщение об аккаунте"
