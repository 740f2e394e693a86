"""/referral: the caller's referral code and what it earned."""

from fastapi import APIRouter
from pydantic import BaseModel

from cybervpn.presentation.http.billing.use_cases import GetReferralSummaryDep
from cybervpn.presentation.http.dependencies import CallerDep, ContainerDep

router = APIRouter(tags=["referrals"])


class ReferralResponse(BaseModel):
    code: str
    referred_count: int
    rewarded_count: int
    reward_days: int
    pending_reward_days: int
    bonus_days_per_referral: int


@router.get("/referral", summary="The caller's referral code and rewards")
async def my_referral(
    caller: CallerDep, referrals: GetReferralSummaryDep, c: ContainerDep
) -> ReferralResponse:
    """Share `code`; whoever registers with it (`referral_code` at sign-up) is
    counted, and their first payment earns `bonus_days_per_referral` days: added to
    the caller's access at once, or at the caller's first purchase (pending)."""
    summary = await referrals.execute(caller.account.id)
    return ReferralResponse(
        code=summary.code,
        referred_count=summary.referred,
        rewarded_count=summary.rewarded,
        reward_days=summary.reward_days,
        pending_reward_days=summary.pending_reward_days,
        bonus_days_per_referral=c.settings.commerce.referral_bonus_days,
    )
