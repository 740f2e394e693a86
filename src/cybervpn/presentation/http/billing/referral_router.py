"""/referral: the caller's referral code and what it earned."""

from fastapi import APIRouter
from pydantic import BaseModel

from cybervpn.application.billing.referrals import GetReferralSummary
from cybervpn.presentation.http.dependencies import CallerDep, ContainerDep, UowDep

router = APIRouter(tags=["billing: referrals"])


class ReferralResponse(BaseModel):
    code: str
    referred_count: int
    rewarded_count: int
    reward_days: int
    pending_reward_days: int
    bonus_days_per_referral: int


@router.get("/referral")
async def my_referral(
    caller: CallerDep, uow: UowDep, c: ContainerDep
) -> ReferralResponse:
    """Share `code`; whoever registers with it (`referral_code` at sign-up) is
    counted, and their first payment earns `bonus_days_per_referral` days: added to
    the caller's access at once, or at the caller's first purchase (pending)."""
    summary = await GetReferralSummary(uow=uow).execute(caller.account.id)
    return ReferralResponse(
        code=summary.code,
        referred_count=summary.referred,
        rewarded_count=summary.rewarded,
        reward_days=summary.reward_days,
        pending_reward_days=summary.pending_reward_days,
        bonus_days_per_referral=c.settings.commerce.referral_bonus_days,
    )
