"""New gettext msgids of branch i18-did (helper "did").

None: the DiD engine lives in the Django-free methods package (`analytics/methods/did/`),
whose notes and errors are English like the other methods' (`fit`, `mediate`), and the CLI's
help texts are not translated either. The web run kind the lead builds on `did_json` will
bring its own msgids.
"""

T: dict[str, str] = {}
