"""Our own corpus of cross-site scripting payloads, for tests/browser/test_xss.py.

Each payload, if a browser ever ran it, calls `__xss(N)` (or `parent.__xss(N)` from a frame,
or `alert(N)` / `confirm(N)` / `prompt(N)`, or navigates), where N says which payload in which
field it was: the test installs a `window.__xss` that records N, and listens for dialogs.

A template holds MARK where its number goes; a template may also be a function of the number
(for payloads that carry their call encoded, e.g. in base64). `Payload.text(field)` gives the
text for one place it is put (FIELDS): each place has its own range of numbers, so a hit
tells which payload ran and where it came from.
"""

import base64
from collections.abc import Callable
from dataclasses import dataclass

MARK = "XSSN"
# Where a payload is put; payload n in FIELDS[i] calls __xss(i * 10000 + n).
FIELDS = (
    "body",  # a comment's text (the whole corpus, stored by the posting service)
    "name",  # a guest's name (as the comment form cleans it, when it takes it)
    "website",  # a guest's website (likewise)
    "posted body",  # a selection of the corpus, posted over HTTP through the comment form
    "posted name",
    "posted website",
    "near-duplicate",  # a held near-duplicate's text, shown as a difference in the admin
    "echoed body",  # typed in a form that comes back with errors
    "echoed name",
    "echoed website",
    "remembered name",  # kept in the "Save my name..." cookies, shown in the next form
    "remembered website",
)
FIELD_OFFSET = {field: 10000 * index for index, field in enumerate(FIELDS)}


def _b64(text):
    return base64.b64encode(text.encode()).decode()


def _data_html(n):
    return f"data:text/html;base64,{_b64(f'<script>alert({n})</script>')}"


def _data_svg(n):
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" onload="alert({n})"/>'
    return f"data:image/svg+xml;base64,{_b64(svg)}"


def _eval_atob(n):
    return f"<img src=x onerror=\"eval(atob('{_b64(f'__xss({n})')}'))\">"


# Payloads whose whole text the site must show as typed (raw HTML in a comment is text, not
# markup: README, "Using it"), checked by number in the test.
SHOWN_AS_TYPED = "shown as typed"

# (class, template, note): note is SHOWN_AS_TYPED or "". A payload corpus: its entries share a
# shape because they are data, one attack each, not copied code.
_CORPUS = [
    # --- Tags ------------------------------------------------------------------------------
    ("tag", "<script>__xss(XSSN)</script>", SHOWN_AS_TYPED),
    ("tag", "<SCRIPT SRC=data:text/javascript,__xss(XSSN)></SCRIPT>", ""),
    ("tag", '<script src="data:,__xss(XSSN)"></script>', ""),
    ("tag", "<img src=x onerror=__xss(XSSN)>", SHOWN_AS_TYPED),
    ("tag", '<img src="x" onerror="__xss(XSSN)">', ""),
    ("tag", "<svg onload=__xss(XSSN)>", SHOWN_AS_TYPED),
    ("tag", "<svg/onload=__xss(XSSN)>", ""),
    ("tag", '<iframe src="javascript:parent.__xss(XSSN)"></iframe>', ""),
    ("tag", '<iframe srcdoc="<script>parent.__xss(XSSN)</script>"></iframe>', ""),
    ("tag", '<object data="javascript:parent.__xss(XSSN)"></object>', ""),
    ("tag", lambda n: f'<object data="{_data_html(n)}"></object>', ""),
    ("tag", '<embed src="javascript:parent.__xss(XSSN)">', ""),
    ("tag", lambda n: f'<embed src="{_data_html(n)}">', ""),
    (
        "tag",
        '<math><maction actiontype="statusline" xlink:href="javascript:__xss(XSSN)">m</maction></math>',
        "",
    ),
    ("tag", '<style>@import "javascript:__xss(XSSN)";</style>', ""),
    ("tag", '<style>*{background:url("javascript:__xss(XSSN)")}</style>', ""),
    ("tag", '<base href="https://attacker.example/XSSN/">', ""),
    ("tag", '<form action="javascript:__xss(XSSN)"><button>Send</button></form>', ""),
    ("tag", '<form><button formaction="javascript:__xss(XSSN)">Send</button></form>', ""),
    ("tag", '<meta http-equiv="refresh" content="0;url=javascript:__xss(XSSN)">', ""),
    ("tag", lambda n: f'<meta http-equiv="refresh" content="0;url={_data_html(n)}">', ""),
    ("tag", '<meta http-equiv="refresh" content="1;url=https://attacker.example/XSSN">', ""),
    ("tag", '<link rel="stylesheet" href="javascript:__xss(XSSN)">', ""),
    ("tag", '<video><source onerror="__xss(XSSN)"></video>', ""),
    ("tag", "<audio src=x onerror=__xss(XSSN)>", ""),
    ("tag", "<body onload=__xss(XSSN)>", ""),
    ("tag", "<input autofocus onfocus=__xss(XSSN)>", ""),
    ("tag", "<details open ontoggle=__xss(XSSN)>", ""),
    ("tag", "<marquee onstart=__xss(XSSN)>m</marquee>", ""),
    ("tag", "<select autofocus onfocus=__xss(XSSN)></select>", ""),
    ("tag", "<textarea autofocus onfocus=__xss(XSSN)></textarea>", ""),
    ("tag", "<isindex type=image src=x onerror=__xss(XSSN)>", ""),
    ("tag", "<frameset onload=__xss(XSSN)>", ""),
    ("tag", "<template><img src=x onerror=__xss(XSSN)></template>", ""),
    ("tag", "<picture><img src=x onerror=__xss(XSSN)></picture>", ""),
    ("tag", "<image src=x onerror=__xss(XSSN)>", ""),
    ("tag", '<a href="javascript:__xss(XSSN)">raw link</a>', SHOWN_AS_TYPED),
    ("tag", '<div style="background-image:url(javascript:__xss(XSSN))">styled</div>', ""),
    ("tag", "<xss id=x tabindex=1 autofocus onfocus=__xss(XSSN)></xss>", ""),
    ("tag", "<plaintext><script>__xss(XSSN)</script>", ""),
    # --- Event handlers -----------------------------------------------------------------------
    ("event-handler", "<b onmouseover=__xss(XSSN)>hover me</b>", ""),
    ("event-handler", '<a onclick="__xss(XSSN)" href="#">click me</a>', ""),
    ("event-handler", "<p onpointerenter=__xss(XSSN)>point here</p>", ""),
    ("event-handler", "<div tabindex=0 autofocus onfocusin=__xss(XSSN)>focus</div>", ""),
    ("event-handler", "<img src=x onerror=\"window['__x'+'ss'](XSSN)\">", ""),
    ("event-handler", "<img src=x onerror=top.__xss(XSSN)>", ""),
    ("event-handler", "<img src=x onerror=__xss`XSSN`>", ""),
    ("event-handler", _eval_atob, ""),
    ("event-handler", "<img src=x onerror=alert(XSSN)>", ""),
    ("event-handler", "<img src=x onerror=confirm(XSSN)>", ""),
    ("event-handler", "<img src=x onerror=prompt(XSSN)>", ""),
    ("event-handler", "<svg><animate onbegin=__xss(XSSN) attributeName=x dur=1s>", ""),
    ("event-handler", "<body onpageshow=__xss(XSSN)>", ""),
    ("event-handler", "<img/src=x/onerror=__xss(XSSN)>", ""),
    ("event-handler", "<img src=x onerror\n=__xss(XSSN)>", ""),
    ("event-handler", "<img src=x:x onerror=__xss(XSSN)//", ""),
    ("event-handler", "<div popover id=p onbeforetoggle=__xss(XSSN)>pop</div>", ""),
    ("event-handler", '<p style="animation-name:spin" onanimationstart=__xss(XSSN)>spin</p>', ""),
    ("event-handler", "<svg><script>__xss(XSSN)</script></svg>", ""),
    ("event-handler", '<svg><script href="data:,__xss(XSSN)" /></svg>', ""),
    # --- Dangerous URLs in Markdown links, reference links, autolinks and images -------------
    ("url-scheme", "[click me](javascript:__xss(XSSN))", ""),
    ("url-scheme", "[click me](JAVASCRIPT:__xss(XSSN))", ""),
    ("url-scheme", "[click me](vbscript:msgbox(XSSN))", ""),
    ("url-scheme", lambda n: f"[click me]({_data_html(n)})", ""),
    ("url-scheme", "[click me](data:text/html,<script>alert(XSSN)</script>)", ""),
    ("url-scheme", "[click me](<javascript:__xss(XSSN)>)", ""),
    ("url-scheme", '[click me](javascript:__xss(XSSN) "a title")', ""),
    ("url-scheme", "[click me][ref]\n\n[ref]: javascript:__xss(XSSN)", ""),
    ("url-scheme", "[ref]\n\n[ref]: javascript:__xss(XSSN)", ""),
    ("url-scheme", '[click me][r]\n\n[r]: <javascript:__xss(XSSN)> "title"', ""),
    ("url-scheme", "[click me][r]\n\n[r]: vbscript:msgbox(XSSN)", ""),
    ("url-scheme", "<javascript:__xss(XSSN)>", ""),
    ("url-scheme", "<JavaScript:__xss(XSSN)>", ""),
    ("url-scheme", "<vbscript:msgbox(XSSN)>", ""),
    ("url-scheme", lambda n: f"<{_data_html(n)}>", ""),
    ("url-scheme", "![a picture](javascript:__xss(XSSN))", ""),
    ("url-scheme", lambda n: f"![a picture]({_data_svg(n)})", ""),
    ("url-scheme", "[click me](javascript://example.org/%0a__xss(XSSN))", ""),
    ("url-scheme", "[click me](javascript:/*--></title></style></textarea>*/__xss(XSSN))", ""),
    ("url-scheme", "javascript:__xss(XSSN)", ""),
    # --- Encodings and case tricks -----------------------------------------------------------
    ("encoding", "[click me](jav&#x61;script:__xss(XSSN))", ""),
    ("encoding", "[click me](jav&#97;script:__xss(XSSN))", ""),
    ("encoding", "[click me](&#106;avascript:__xss(XSSN))", ""),
    ("encoding", "[click me](javascript&colon;__xss(XSSN))", ""),
    ("encoding", "[click me](javascript&#58;__xss(XSSN))", ""),
    ("encoding", "[click me](javascript&#x3A;__xss(XSSN))", ""),
    ("encoding", "[click me](java%73cript:__xss(XSSN))", ""),
    ("encoding", "[click me](%6A%61%76%61%73%63%72%69%70%74:__xss(XSSN))", ""),
    ("encoding", "[click me](JaVaScRiPt:__xss(XSSN))", ""),
    ("encoding", "[click me](java\tscript:__xss(XSSN))", ""),
    ("encoding", "[click me](java&#9;script:__xss(XSSN))", ""),
    ("encoding", "[click me](java&#10;script:__xss(XSSN))", ""),
    ("encoding", "[click me](java&#x0D;script:__xss(XSSN))", ""),
    ("encoding", "[click me](&#x20;javascript:__xss(XSSN))", ""),
    ("encoding", "[click me](&#x01;javascript:__xss(XSSN))", ""),
    ("encoding", "[click me](\x01javascript:__xss(XSSN))", ""),
    ("encoding", "[click me](javascript\\:__xss(XSSN))", ""),
    ("encoding", "[click me](javas\u200bcript:__xss(XSSN))", ""),
    (
        "encoding",
        "[click me](\uff4a\uff41\uff56\uff41\uff53\uff43\uff52\uff49\uff50\uff54:__xss(XSSN))",
        "",
    ),
    ("encoding", "[click me](JAVASCRIPT&colon;__xss&lpar;XSSN&rpar;)", ""),
    ("encoding", "<JaVa\tScRiPt:__xss(XSSN)>", ""),
    ("encoding", "<java\nscript:__xss(XSSN)>", ""),
    (
        "encoding",
        '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;__xss(XSSN)">x</a>',
        "",
    ),
    ("encoding", "<img src=x onerror=&#95;&#95;xss(XSSN)>", ""),
    ("encoding", "<img src=x onerror=\\u005f\\u005fxss(XSSN)>", ""),
    ("encoding", "%3Cscript%3E__xss(XSSN)%3C/script%3E", ""),
    ("encoding", "&lt;script&gt;__xss(XSSN)&lt;/script&gt;", ""),
    ("encoding", "&amp;lt;script&amp;gt;__xss(XSSN)&amp;lt;/script&amp;gt;", ""),
    ("encoding", "\\u003cscript\\u003e__xss(XSSN)\\u003c/script\\u003e", ""),
    ("encoding", "\uff1cscript\uff1e__xss(XSSN)\uff1c/script\uff1e", ""),
    ("encoding", "<scr<script>ipt>__xss(XSSN)</scr</script>ipt>", ""),
    ("encoding", "<<script>script>__xss(XSSN)<</script>/script>", ""),
    ("encoding", "<ScRiPt>__xss(XSSN)</sCrIpT>", SHOWN_AS_TYPED),
    ("encoding", "<script\n>__xss(XSSN)</script\n>", ""),
    ("encoding", "<script/x>__xss(XSSN)</script>", ""),
    # --- Attribute breakouts -----------------------------------------------------------------
    ("attribute-breakout", '"><svg onload=__xss(XSSN)>', SHOWN_AS_TYPED),
    ("attribute-breakout", "'><svg onload=__xss(XSSN)>", ""),
    ("attribute-breakout", '" onmouseover="__xss(XSSN)', ""),
    ("attribute-breakout", "' onmouseover='__xss(XSSN)", ""),
    ("attribute-breakout", '" autofocus onfocus="__xss(XSSN)', ""),
    ("attribute-breakout", '"/><img src=x onerror=__xss(XSSN)>', ""),
    ("attribute-breakout", "`onmouseover=__xss(XSSN)`", ""),
    ("attribute-breakout", 'x" style="animation-name:spin" onanimationstart="__xss(XSSN)', ""),
    ("attribute-breakout", 'https://ok.example/"onmouseover="__xss(XSSN)', ""),
    ("attribute-breakout", 'https://ok.example/"><script>__xss(XSSN)</script>', ""),
    ("attribute-breakout", "https://ok.example/'onmouseover='__xss(XSSN)'", ""),
    ("attribute-breakout", "https://ok.example/?q=<img/src=x/onerror=__xss(XSSN)>", ""),
    ("attribute-breakout", 'https://ok.example/#"><svg/onload=__xss(XSSN)>', ""),
    ("attribute-breakout", "https://ok.example/%22%3E%3Cscript%3E__xss(XSSN)%3C/script%3E", ""),
    ("attribute-breakout", "https://ok.example/`onfocus=__xss(XSSN)`", ""),
    # Valid web addresses (the website field takes them) that try to leave the href.
    ("attribute-breakout", 'https://ok.example/?a="onmouseover="__xss(XSSN)', ""),
    ("attribute-breakout", "https://ok.example/'><svg/onload=__xss(XSSN)>", ""),
    ("attribute-breakout", 'https://ok.example/"><svg/onload=__xss(XSSN)>', ""),
    ("attribute-breakout", "http://ok.example/#'onfocus='__xss(XSSN)'autofocus='", ""),
    ("attribute-breakout", "https://ok.example/&quot;onmouseover=&quot;__xss(XSSN)", ""),
    ("attribute-breakout", "https://ok.example/<script>__xss(XSSN)</script>", ""),
    ("attribute-breakout", 'HTTPS://OK.EXAMPLE/"onmouseover="__xss(XSSN)', ""),
    ("attribute-breakout", 'https://ok.example/%0a%0d"><script>__xss(XSSN)</script>', ""),
    ("attribute-breakout", "https://ok.example/javascript:__xss(XSSN)", ""),
    ("attribute-breakout", "javascript:__xss(XSSN)//https://ok.example/", ""),
    ("attribute-breakout", lambda n: _data_html(n), ""),
    # --- Breaking out of the element a value is shown in ------------------------------------
    ("context-breakout", "</textarea><script>__xss(XSSN)</script>", SHOWN_AS_TYPED),
    ("context-breakout", "</title><script>__xss(XSSN)</script>", ""),
    ("context-breakout", "</style><script>__xss(XSSN)</script>", ""),
    ("context-breakout", "</script><script>__xss(XSSN)</script>", ""),
    ("context-breakout", "</noscript><img src=x onerror=__xss(XSSN)>", ""),
    ("context-breakout", "--><script>__xss(XSSN)</script>", ""),
    ("context-breakout", "]]><script>__xss(XSSN)</script>", ""),
    ("context-breakout", "</option></select><img src=x onerror=__xss(XSSN)>", ""),
    ("context-breakout", "</td></tr></table><img src=x onerror=__xss(XSSN)>", ""),
    ("context-breakout", "</a><img src=x onerror=__xss(XSSN)>", ""),
    ("context-breakout", "</li></ol><script>__xss(XSSN)</script>", ""),
    ("context-breakout", "</article></section><script>__xss(XSSN)</script>", ""),
    # --- SVG and MathML namespace confusion (mutation XSS) ----------------------------------
    ("namespace", "<svg><style><img src=x onerror=__xss(XSSN)></style></svg>", ""),
    ("namespace", "<math><mtext><table><mglyph><style><img src=x onerror=__xss(XSSN)>", ""),
    ("namespace", '<math><mi xlink:href="javascript:__xss(XSSN)">m</mi></math>', ""),
    (
        "namespace",
        '<svg><a xlink:href="javascript:__xss(XSSN)"><text y="20">svg link</text></a></svg>',
        "",
    ),
    (
        "namespace",
        '<svg><a href="javascript:__xss(XSSN)"><text y="20">svg link</text></a></svg>',
        "",
    ),
    (
        "namespace",
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=__xss(XSSN)>",
        "",
    ),
    ("namespace", '<svg></p><style><a id="</style><img src=1 onerror=__xss(XSSN)>">', ""),
    ("namespace", '<noscript><p title="</noscript><img src=x onerror=__xss(XSSN)>">', ""),
    (
        "namespace",
        '<svg><foreignObject><iframe srcdoc="<script>parent.__xss(XSSN)</script>"></iframe></foreignObject></svg>',
        "",
    ),
    ("namespace", "<math><style><img src=x onerror=__xss(XSSN)></style></math>", ""),
    ("namespace", '<math href="javascript:__xss(XSSN)">math link</math>', ""),
    ("namespace", "<svg><image href=x onerror=__xss(XSSN)></svg>", ""),
    (
        "namespace",
        '<svg><![CDATA[><image xlink:href="]]><img src=x onerror=__xss(XSSN)>"]]></svg>',
        "",
    ),
    (
        "namespace",
        "<select><template><style><!--</style><img src=x onerror=__xss(XSSN)>--></template></select>",
        "",
    ),
    ("namespace", lambda n: f'<svg><use href="{_data_svg(n)}#x"/></svg>', ""),
    # --- Markdown inside Markdown -------------------------------------------------------------
    ("nested-markdown", "[<img src=x onerror=__xss(XSSN)>](https://ok.example/)", ""),
    ("nested-markdown", "[**<svg onload=__xss(XSSN)>**](https://ok.example/)", ""),
    ("nested-markdown", "![<img src=x onerror=__xss(XSSN)>](https://ok.example/i.png)", ""),
    ("nested-markdown", '![alt" onerror="__xss(XSSN)](https://ok.example/i.png)', ""),
    ("nested-markdown", '![alt](https://ok.example/i.png" onerror="__xss(XSSN))', ""),
    ("nested-markdown", '![alt](https://ok.example/i.png "title\\" onerror=\\"__xss(XSSN)")', ""),
    ("nested-markdown", "[![alt](https://ok.example/i.png)](javascript:__xss(XSSN))", ""),
    ("nested-markdown", "[outer [inner](javascript:__xss(XSSN))](https://ok.example/)", ""),
    ("nested-markdown", "`<script>__xss(XSSN)</script>`", ""),
    ("nested-markdown", "``<img src=x onerror=__xss(XSSN)>``", ""),
    ("nested-markdown", "```html\n</code></pre><script>__xss(XSSN)</script>\n```", ""),
    ("nested-markdown", "~~~\n<script>__xss(XSSN)</script>\n~~~", ""),
    ("nested-markdown", "    <script>__xss(XSSN)</script>", ""),
    ("nested-markdown", "<!-- --><script>__xss(XSSN)</script><!-- -->", ""),
    ("nested-markdown", '<!--<img src="--><img src=x onerror=__xss(XSSN)//">', ""),
    ("nested-markdown", "<![CDATA[<script>__xss(XSSN)</script>]]>", ""),
    ("nested-markdown", '<?xml-stylesheet href="javascript:__xss(XSSN)"?>', ""),
    ("nested-markdown", "**<script>**__xss(XSSN)**</script>**", ""),
    ("nested-markdown", "_<img src=x onerror=__xss(XSSN)>_", ""),
    ("nested-markdown", "> <script>__xss(XSSN)</script>", ""),
    ("nested-markdown", "- <img src=x onerror=__xss(XSSN)>\n- second item", ""),
    ("nested-markdown", "1. [click me](javascript:__xss(XSSN))", ""),
    ("nested-markdown", "\\<script>__xss(XSSN)\\</script>", ""),
    ("nested-markdown", "<script>\n__xss(XSSN)\n</script>", ""),
    ("nested-markdown", "<div>\n\n<script>__xss(XSSN)</script>\n\n</div>", ""),
    ("nested-markdown", "*[click me](javascript:__xss(XSSN))*", ""),
    ("nested-markdown", "[fine](https://ok.example/) <img src=x onerror=__xss(XSSN)>", ""),
    ("nested-markdown", "https://ok.example/<script>__xss(XSSN)</script>", ""),
    ("nested-markdown", 'www.ok.example/"onmouseover="__xss(XSSN)', ""),
    ("nested-markdown", 'https://ok.example/"><img src=x onerror=__xss(XSSN)>', ""),
    ("nested-markdown", 'someone@ok.example"><img src=x onerror=__xss(XSSN)>', ""),
    ("nested-markdown", 'mailto:someone@ok.example?subject="><script>__xss(XSSN)</script>', ""),
    # --- Markdown link titles with quotes ----------------------------------------------------
    (
        "link-title",
        '[quoted](https://ok.example/ "a \\"quoted\\" title\\" onmouseover=\\"__xss(XSSN)")',
        "",
    ),
    ("link-title", "[quoted](https://ok.example/ 'it\\'s\\' onmouseover=\\'__xss(XSSN)')", ""),
    ("link-title", '[quoted](https://ok.example/ (paren "x" \\) onmouseover=__xss(XSSN)))', ""),
    ("link-title", '[quoted](https://ok.example/ "<script>__xss(XSSN)</script>")', ""),
    ("link-title", '[quoted](https://ok.example/ "&quot; onmouseover=&quot;__xss(XSSN)")', ""),
    ("link-title", '[quoted][t]\n\n[t]: https://ok.example/ "t\\" onmouseover=\\"__xss(XSSN)"', ""),
    ("link-title", '[quoted](https://ok.example/ "title"onmouseover="__xss(XSSN)")', ""),
    (
        "link-title",
        "[quoted](https://ok.example/ \"a `backtick` title' onfocus='__xss(XSSN)\")",
        "",
    ),
]


@dataclass(frozen=True)
class Payload:
    number: int
    kind: str
    template: str | Callable[[int], str]
    note: str = ""

    def text(self, field="body"):
        """The payload as put in field (one of FIELDS)."""
        n = self.number + FIELD_OFFSET[field]
        if callable(self.template):
            return self.template(n)
        return self.template.replace(MARK, str(n))

    @property
    def shown_as_typed(self):
        return self.note == SHOWN_AS_TYPED


PAYLOADS = tuple(
    Payload(number, kind, template, note)
    for number, (kind, template, note) in enumerate(_CORPUS, start=1)
)
KINDS = tuple(dict.fromkeys(payload.kind for payload in PAYLOADS))


def which(hit):
    """The field and payload a recorded number (or dialog message) stands for."""
    try:
        n = int(str(hit).strip().split(",")[0])
    except ValueError:
        return f"unrecognised hit {hit!r}"
    for field, offset in FIELD_OFFSET.items():
        if offset < n <= offset + len(PAYLOADS):
            payload = PAYLOADS[n - offset - 1]
            return f"#{payload.number} ({payload.kind}) as {field}: {payload.text(field)!r}"
    return f"number {n} is no payload's"
