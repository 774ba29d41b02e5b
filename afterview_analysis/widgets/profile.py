"""Who you are: the profile form (name and signature for letters, time zone, profiles).

:class:`ProfileFormState` holds the typed text and builds a validated
:class:`~afterview_analysis.records.Profile`; :class:`ProfileFormView` binds widgets to it.

The time zone is picked from the IANA zones (type to filter; a city alone such as
"Berlin" is understood) and defaults to this computer's zone until a profile is saved;
profile links typed without ``https://`` get it added.

>>> st = ProfileFormState(name="Ada", timezone="Mars/Olympus")
>>> try:
...     st.to_record()
... except FormError as exc:
...     print(exc.errors)
{'timezone': 'Time zone must be an IANA time zone such as Europe/Paris or UTC'}
>>> st = ProfileFormState(name="Ada", timezone="Berlin", linkedin="linkedin.com/in/ada")
>>> st.to_record().timezone, st.to_record().linkedin
('Europe/Berlin', 'https://linkedin.com/in/ada')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any

import ipywidgets as ipw

from afterview_analysis.journal import Journal
from afterview_analysis.records import AfterviewError, Profile
from afterview_analysis.widgets._common import (
    complete_url,
    computer_zone,
    css,
    error_html,
    labelled,
    ok_html,
    resolve_zone,
    zone_names,
)
from afterview_analysis.widgets.interview_state import FormError, build_record

__all__ = ["PROFILE_LABELS", "ProfileFormState", "ProfileFormView"]

PROFILE_LABELS = {
    "name": "Your name",
    "email": "Email",
    "phone": "Phone",
    "timezone": "Time zone",
    "signature": "Signature",
    "pitch": "Your pitch",
    "linkedin": "LinkedIn",
    "github": "GitHub",
    "x": "X / Twitter",
    "facebook": "Facebook",
    "website": "Website",
}
_MULTILINE = {"signature", "pitch"}
_LINKS = ("linkedin", "github", "x", "facebook", "website")
_HINTS = {
    "timezone": "type to filter, e.g. Berlin",
    "linkedin": "linkedin.com/in/you",
    "pitch": "two sentences: your skills and why you fit (used in letters)",
    "signature": "your name and contact lines, e.g. Alex Morgan / +49 30 1234 5678 (no "
                 "closing such as Best regards: each draft adds one, by its tone)",
}


@dataclass
class ProfileFormState:
    name: str = ""
    email: str = ""
    phone: str = ""
    timezone: str = "UTC"
    signature: str = ""
    pitch: str = ""
    linkedin: str = ""
    github: str = ""
    x: str = ""
    facebook: str = ""
    website: str = ""

    @classmethod
    def from_record(cls, profile: Profile) -> ProfileFormState:
        """The form for a stored profile; a never-saved one starts in this computer's zone."""
        state = cls(**{f.name: getattr(profile, f.name) or "" for f in fields(cls)})
        if profile == Profile():
            state.timezone = computer_zone()
        return state

    def to_record(self) -> Profile:
        errors: dict[str, str] = {}
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["timezone"] = resolve_zone(values["timezone"])
        for name in _LINKS:
            values[name] = complete_url(values[name])
        record = build_record(Profile, values, "", errors, PROFILE_LABELS)
        if errors:
            raise FormError(errors)
        return record


class ProfileFormView:
    """Edit the profile; Save validates and stores it (errors next to the fields)."""

    def __init__(self, journal: Journal, *, on_saved: Callable[[Profile], Any] | None = None):
        self.journal = journal
        self.on_saved = on_saved
        self.state = ProfileFormState.from_record(journal.profile())
        self.fields: dict[str, ipw.Widget] = {}
        self.errors: dict[str, ipw.HTML] = {}
        rows = []
        style = {"description_width": "120px"}
        for name, label in PROFILE_LABELS.items():
            if name == "timezone":
                # a text box with the IANA zones as suggestions: typing filters them
                widget = css(ipw.Combobox(description=label, value=self.state.timezone,
                                          options=zone_names(), ensure_option=False,
                                          placeholder=_HINTS[name], style=style,
                                          layout=ipw.Layout(width="420px")),
                             f"av-profile-{name}")
            else:
                kind = ipw.Textarea if name in _MULTILINE else ipw.Text
                widget = css(kind(description=label, value=getattr(self.state, name),
                                  placeholder=_HINTS.get(name, ""), style=style,
                                  layout=ipw.Layout(width="98%")), f"av-profile-{name}")
            self.fields[name] = widget
            self.errors[name] = css(ipw.HTML(""), "av-error", f"av-error-profile-{name}")
            rows.append(labelled(widget, self.errors[name]))
        self.save_button = css(ipw.Button(description="Save profile", icon="save",
                                          button_style="primary"), "av-profile-save")
        self.save_button.on_click(lambda _b: self.save())
        self.status = css(ipw.HTML(""), "av-profile-status")
        self.widget = css(ipw.VBox([*rows, self.save_button, self.status]), "av-profile-form")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def save(self) -> bool:
        for name, widget in self.fields.items():
            setattr(self.state, name, widget.value)
        for slot in self.errors.values():
            slot.value = ""
        try:
            # the form's fields over the stored profile: what it does not show is kept
            # (the questions to ask, edited on the Prepare page)
            form = self.state.to_record()
            profile = replace(self.journal.profile(), **{
                f.name: getattr(form, f.name) for f in fields(ProfileFormState)})
        except FormError as exc:
            for key, message in exc.errors.items():
                self.errors[key].value = error_html(message)
            self.status.value = error_html("Not saved: see the messages next to the fields.")
            return False
        try:
            self.journal.update(profile)
        except AfterviewError as exc:
            self.status.value = error_html(f"Not saved: {exc}")
            return False
        for name in ("timezone", *_LINKS):  # show what was stored ("Berlin" -> Europe/Berlin)
            self.fields[name].value = getattr(profile, name) or ""
        self.status.value = ok_html(f"Saved your profile (time zone {profile.timezone}).")
        if self.on_saved is not None:
            self.on_saved(profile)
        return True
