"""iCalendar export of a volunteer's slots."""

from __future__ import annotations

from icalendar import Calendar
from icalendar import Event as IcsEvent


def calendar_for(*, signups, request=None) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Synergy//Volunteering//EN")
    cal.add("version", "2.0")
    host = request.get_host() if request is not None else "synergy.local"
    for signup in signups:
        slot = signup.slot
        ev = IcsEvent()
        ev.add("uid", f"signup-{signup.pk}@{host}")
        ev.add("summary", slot.need.title)
        ev.add("dtstart", slot.starts_at)
        ev.add("dtend", slot.ends_at)
        ev.add("dtstamp", signup.created_at)
        ev.add("location", slot.need.village.name)
        if slot.need.description:
            ev.add("description", slot.need.description)
        cal.add_component(ev)
    return cal.to_ical()
