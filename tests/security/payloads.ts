/**
 * Hostile strings, the one list the security tests share: the fixture documents carry them in
 * every field, and the HTTP, browser and property tests send them as queries. Each entry says
 * what it tries, so a failure names the trick that worked.
 */
export interface Payload {
  /** What the payload tries, in a few words. */
  name: string;
  text: string;
}

export const payloads: Payload[] = [
  // Script tags
  { name: "script tag", text: "<script>alert(1)</script>" },
  {
    name: "upper-case external script",
    text: "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
  },
  {
    name: "script with char codes",
    text: "<script>alert(String.fromCharCode(88,83,83))</script>",
  },
  {
    name: "script split by a script",
    text: "<scr<script>ipt>alert(1)</scr</script>ipt>",
  },
  {
    name: "close then open script",
    text: "</script><script>alert(1)</script>",
  },
  {
    name: "script with slash attribute",
    text: "<script/xss src=data:,alert(1)></script>",
  },
  { name: "double-bracket script", text: "<<script>alert(1);//<</script>" },
  {
    name: "unterminated tag at the end",
    text: "<img src=x onerror=alert(1)//",
  },

  // Event-handler attributes
  {
    name: "double-quote breakout to img",
    text: '"><img src=x onerror=alert(1)>',
  },
  {
    name: "single-quote breakout to img",
    text: "'><img src=x onerror=alert(1)>",
  },
  { name: "img onerror", text: '<img src=x onerror="alert(1)">' },
  {
    name: "img with eval of src",
    text: "<img src=x:alert(alt) onerror=eval(src) alt=0>",
  },
  { name: "body onload", text: "<body onload=alert(1)>" },
  { name: "svg onload", text: "<svg onload=alert(1)>" },
  { name: "svg slash onload", text: "<svg/onload=alert(1)>" },
  { name: "script inside svg", text: "<svg><script>alert(1)</script></svg>" },
  {
    name: "svg animate onbegin",
    text: "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
  },
  {
    name: "input autofocus onfocus",
    text: "<input autofocus onfocus=alert(1)>",
  },
  { name: "details ontoggle", text: "<details open ontoggle=alert(1)>" },
  { name: "video source onerror", text: '<video><source onerror="alert(1)">' },
  { name: "marquee onstart", text: "<marquee onstart=alert(1)>x</marquee>" },
  { name: "double-quoted attribute breakout", text: '" onmouseover="alert(1)' },
  {
    name: "single-quoted attribute breakout",
    text: "' onfocus='alert(1)' autofocus='",
  },
  { name: "unquoted attribute breakout", text: "x onclick=alert(1)" },
  {
    name: "style attribute with javascript URL",
    text: '<div style="background:url(javascript:alert(1))">x</div>',
  },

  // URLs
  { name: "javascript URL", text: "javascript:alert(1)" },
  { name: "mixed-case javascript URL", text: "JaVaScRiPt:alert(1)" },
  { name: "javascript URL after a space", text: " javascript:alert(1)" },
  { name: "javascript URL with a tab", text: "java\tscript:alert(1)" },
  {
    name: "javascript URL with an entity colon",
    text: "javascript&colon;alert(1)",
  },
  {
    name: "data URL with HTML",
    text: "data:text/html,<script>alert(1)</script>",
  },
  {
    name: "base64 data URL",
    text: "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
  },
  { name: "vbscript URL", text: "vbscript:msgbox(1)" },
  { name: "protocol-relative URL", text: "//evil.example/x" },
  {
    name: "web URL with a breakout",
    text: 'https://example.org/"><script>alert(1)</script>',
  },
  {
    name: "web URL with an attribute breakout",
    text: "https://example.org/' onmouseover='alert(1)",
  },
  {
    name: "link to a javascript URL",
    text: '<a href="javascript:alert(1)">click me</a>',
  },
  {
    name: "iframe with javascript URL",
    text: '<iframe src="javascript:alert(1)"></iframe>',
  },
  {
    name: "iframe srcdoc",
    text: '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
  },
  {
    name: "form action",
    text: "<form action=javascript:alert(1)><button>go</button></form>",
  },
  { name: "object data", text: '<object data="javascript:alert(1)"></object>' },
  { name: "embed src", text: "<embed src=javascript:alert(1)>" },
  {
    name: "svg xlink link",
    text: '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
  },
  {
    name: "meta refresh",
    text: '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  },
  { name: "base href", text: '<base href="//evil.example/">' },
  {
    name: "external stylesheet",
    text: "<link rel=stylesheet href=//evil.example/x.css>",
  },

  // Broken and nested tags, comments, raw-text contexts
  { name: "quotes inside a tag", text: '<img """><script>alert(1)</script>">' },
  { name: "unclosed link", text: "<a href=x>unclosed" },
  { name: "misnested tags", text: "<b><i>nested</b></i>" },
  { name: "comment opener", text: "<!--" },
  { name: "comment closer then script", text: "--><script>alert(1)</script>" },
  { name: "CDATA", text: "<![CDATA[<script>alert(1)</script>]]>" },
  { name: "style element", text: "<style>body{display:none}</style>" },
  {
    name: "mutation XSS through math",
    text: "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  },
  {
    name: "noscript attribute trick",
    text: '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  },
  { name: "textarea end", text: "</textarea><script>alert(1)</script>" },
  { name: "title end", text: "</title><script>alert(1)</script>" },
  { name: "style end", text: "</style><script>alert(1)</script>" },
  { name: "noscript end", text: "</noscript><script>alert(1)</script>" },
  {
    name: "option end",
    text: "</option></select><img src=x onerror=alert(1)>",
  },

  // Highlight boundaries: the site's own <mark> must not be forged or split open
  {
    name: "mark end then script",
    text: "</mark><script>alert(1)</script><mark>",
  },
  {
    name: "forged current mark",
    text: '<mark id="m1" class="current">forged</mark>',
  },
  {
    name: "mark inside a tag name",
    text: "<scr<mark>ipt>alert(1)</scr</mark>ipt>",
  },
  {
    name: "matched word inside an attribute",
    text: '<img src="hostile" alt="onerror=alert(1)" title="script">',
  },
  {
    name: "matched word inside an entity name",
    text: "a &lt; b &amp;&amp; c &gt; d &quot;quot&quot; &#39;lt&#39;",
  },

  // Entities that must stay visible as written
  { name: "escaped script", text: "&lt;script&gt;alert(1)&lt;/script&gt;" },
  { name: "decimal entities", text: "&#60;img src=x onerror=alert(1)&#62;" },
  { name: "hex entities", text: "&#x3C;svg onload=alert(1)&#x3E;" },
  { name: "double-escaped tag", text: "&amp;lt;b&amp;gt;" },
  { name: "entity quote breakout", text: "&quot; onmouseover=&quot;alert(1)" },
  {
    name: "named and unknown entities",
    text: "&nbsp;&copy;&NotAnEntity;&#0;&#x110000;",
  },

  // Template and script-context syntax
  { name: "EJS tag", text: "<%= process.exit(1) %>" },
  { name: "raw EJS tag", text: "<%- include('/etc/passwd') %>" },
  { name: "template literal", text: "${alert(1)}" },
  {
    name: "template expression",
    text: "{{constructor.constructor('alert(1)')()}}",
  },
  {
    name: "script-context line separators",
    text: "</script>\u2028\u2029alert(1)",
  },

  // Unicode tricks
  {
    name: "RTL override",
    text: "\u202e<script>alert(1)</script>\u202c txt.exe",
  },
  {
    name: "zero-width space in a tag",
    text: "<scr\u200bipt>alert(1)</scr\u200bipt>",
  },
  {
    name: "fullwidth brackets",
    text: "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
  },
  { name: "NUL inside a tag", text: "<scr\u0000ipt>alert(1)</script>" },
  { name: "NUL before a handler", text: "<img src=x \u0000onerror=alert(1)>" },
  {
    name: "combining marks on a bracket",
    text: "<\u0338script>alert(1)</script>",
  },
  { name: "homoglyph script", text: "<\u0455cript>alert(1)</\u0455cript>" },
  { name: "prototype key", text: "__proto__" },

  // Paths, for ids and file names
  { name: "dot-dot path", text: "../../../../etc/passwd" },
  { name: "backslash dot-dot path", text: "..\\..\\..\\package.json" },
  { name: "encoded dot-dot path", text: "%2e%2e%2f%2e%2e%2fpackage.json" },
  { name: "absolute path", text: "/etc/passwd" },
];

/** The payloads with a NUL: only JSON can carry them (a NUL in a text file makes it binary). */
export const hasNul = (p: Payload) => p.text.includes("\u0000");

/** A word only this payload's fixture statement has, to find it by. */
export const marker = (i: number) => `hostile${String(i + 1).padStart(3, "0")}`;
