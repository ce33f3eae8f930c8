"""Domain errors of the exchange; the core exception handler (synergy.core.api.errors) maps them
to HTTP by their base class, so each is a 409 Conflict. Services raise them with the sentence a
person can act on; pages show it (`synergy.core.web.show_domain_error`)."""

from synergy.core.errors import Conflict, Invalid, InvalidFilter, NotAllowed  # noqa: F401  (re-exported)

# --- Giving ----------------------------------------------------------------------------------


class CampaignClosed(Conflict):
    """The campaign is closed or past its deadline and takes no more donations (409)."""


class RepeatDonation(Conflict):
    """The same donor gave the same amount to the same campaign a few minutes ago (409): the
    caller asks whether a second gift is meant and retries with `confirm_repeat=True`."""


class IdempotencyKeyReused(Conflict):
    """An Idempotency-Key already names a donation of another amount (409)."""


class OverSpent(Conflict):
    """Spending would exceed what the campaign raised (409)."""


# --- Volunteering ----------------------------------------------------------------------------


class SlotFull(Conflict):
    """Every place of the volunteer slot is taken (409)."""


class NeedClosed(Conflict):
    """The volunteer need or investment need no longer takes sign-ups or interest (409)."""


class SlotStarted(Conflict):
    """The slot has started: too late to sign up or cancel (409)."""


class HoursNotDue(Conflict):
    """Hours are confirmed once the slot has ended (409)."""


class SlotOverlap(Conflict):
    """The volunteer already holds a slot at the same time (409)."""


# --- Events ----------------------------------------------------------------------------------


class EventFull(Conflict):
    """Every place of the event is taken (409)."""


class EventStarted(Conflict):
    """The event has started: registration is closed (409)."""


# --- Labour ----------------------------------------------------------------------------------


class JobClosed(Conflict):
    """The job no longer takes applications (409)."""


class PositionsFilled(Conflict):
    """Every position of the job is filled (409)."""


# --- Any record ------------------------------------------------------------------------------


class AlreadyDone(Conflict):
    """The same person already did this (signed up, registered, applied, expressed interest),
    or the record was already settled, confirmed or cancelled (409)."""


# --- Review ----------------------------------------------------------------------------------


class NotReviewed(Conflict):
    """A campaign or investment need waits for review (or was sent back): not public yet, so
    it takes no donation or interest (409)."""
