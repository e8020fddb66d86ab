"""What the public site may keep about an anonymous visitor besides the keyed hash of a truncated IP
(`config.requests.hash_ip`): a coarse user-agent summary.
"""

import re

_BROWSERS = [
    ("Edge", r"Edg/(\d+)"),
    ("Opera", r"OPR/(\d+)"),
    ("Firefox", r"Firefox/(\d+)"),
    ("Chrome", r"(?:Chrome|Chromium|HeadlessChrome)/(\d+)"),
    ("Safari", r"Version/(\d+).*Safari/"),
]
_SYSTEMS = [
    ("Android", r"Android"),
    ("iOS", r"iPhone|iPad|iPod"),
    ("Windows", r"Windows"),
    ("macOS", r"Mac OS X|Macintosh"),
    ("Linux", r"Linux|X11"),
]


def user_agent_summary(user_agent: str) -> str:
    """Browser family, major version and OS: enough to show how consent was given, too little to track."""
    browser = next(
        (f"{name} {m.group(1)}" for name, pattern in _BROWSERS if (m := re.search(pattern, user_agent))),
        "Other",
    )
    system = next((name for name, pattern in _SYSTEMS if re.search(pattern, user_agent)), "Other")
    return f"{browser} / {system}"
