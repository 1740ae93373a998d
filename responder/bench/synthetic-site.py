#!/usr/bin/env python3
"""Writes a synthetic site (docs/site-format.md) with N domains spread over P providers, for the load benchmark.

Used only when the real generator cannot render one (or to get 100k domains quickly). Documents are shaped like
the generator's: one autoconfig, Outlook, MobileSync and profile document per provider, shared by its domains.
Usage: synthetic-site.py OUT DOMAINS [PROVIDERS] [COLUMNS]
COLUMNS: 11 (default: with the address-less profile and setup page templates) or 9 (sites of older generators).
Every domain also gets a PACC document (one per provider) in pacc.tsv.
"""
import hashlib, os, sys

out, n = sys.argv[1], int(sys.argv[2])
p = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] else max(1, n // 100)
columns = int(sys.argv[4]) if len(sys.argv) > 4 else 11
assert columns in (9, 11)
version = "bench" + hashlib.sha256(f"{n}-{p}-{columns}".encode()).hexdigest()[:11]
priv = os.path.join(out, "v-" + version, "private")
for d in ("docs", "errors", "ldap"):
    os.makedirs(os.path.join(priv, d), exist_ok=True)

AUTOCONFIG = """<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="{prov}">
    <domain>{{{{domain}}}}</domain>
    <displayName>Provider {i}</displayName>
    <displayShortName>P{i}</displayShortName>
    <incomingServer type="imap">
      <hostname>imap.{prov}</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>{{{{login:%EMAILADDRESS%}}}}</username>
    </incomingServer>
    <incomingServer type="pop3">
      <hostname>pop.{prov}</hostname>
      <port>995</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>{{{{login:%EMAILADDRESS%}}}}</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.{prov}</hostname>
      <port>465</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>{{{{login:%EMAILADDRESS%}}}}</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>
"""
OUTLOOK = """<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <User><DisplayName>{{{{name}}}}</DisplayName></User>
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
      <Protocol><Type>IMAP</Type><Server>imap.{prov}</Server><Port>993</Port><LoginName>{{{{login:%EMAILADDRESS%}}}}</LoginName><DomainRequired>off</DomainRequired><SPA>off</SPA><SSL>on</SSL><Encryption>SSL</Encryption><AuthRequired>on</AuthRequired></Protocol>
      <Protocol><Type>SMTP</Type><Server>smtp.{prov}</Server><Port>465</Port><LoginName>{{{{login:%EMAILADDRESS%}}}}</LoginName><DomainRequired>off</DomainRequired><SPA>off</SPA><SSL>on</SSL><Encryption>SSL</Encryption><AuthRequired>on</AuthRequired><UsePOPAuth>off</UsePOPAuth><SMTPLast>off</SMTPLast></Protocol>
    </Account>
  </Response>
</Autodiscover>
"""
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadContent</key>
  <array>
    <dict>
      <key>EmailAccountDescription</key><string>Provider {i}</string>
      <key>EmailAccountName</key><string>{{{{name}}}}</string>
      <key>EmailAccountType</key><string>EmailTypeIMAP</string>
      <key>EmailAddress</key><string>{{{{address}}}}</string>
      <key>IncomingMailServerAuthentication</key><string>EmailAuthPassword</string>
      <key>IncomingMailServerHostName</key><string>imap.{prov}</string>
      <key>IncomingMailServerPortNumber</key><integer>993</integer>
      <key>IncomingMailServerUseSSL</key><true/>
      <key>IncomingMailServerUsername</key><string>{{{{login:%EMAILADDRESS%}}}}</string>
      <key>OutgoingMailServerAuthentication</key><string>EmailAuthPassword</string>
      <key>OutgoingMailServerHostName</key><string>smtp.{prov}</string>
      <key>OutgoingMailServerPortNumber</key><integer>465</integer>
      <key>OutgoingMailServerUseSSL</key><true/>
      <key>OutgoingMailServerUsername</key><string>{{{{login:%EMAILADDRESS%}}}}</string>
      <key>OutgoingPasswordSameAsIncomingPassword</key><true/>
      <key>PayloadIdentifier</key><string>dev.autogen.{{{{domain}}}}.mail</string>
      <key>PayloadType</key><string>com.apple.mail.managed</string>
      <key>PayloadUUID</key><string>{{{{uuid:mail}}}}</string>
      <key>PayloadVersion</key><integer>1</integer>
    </dict>
  </array>
  <key>PayloadDisplayName</key><string>Provider {i}</string>
  <key>PayloadIdentifier</key><string>dev.autogen.{{{{domain}}}}</string>
  <key>PayloadType</key><string>Configuration</string>
  <key>PayloadUUID</key><string>{{{{uuid:profile}}}}</string>
  <key>PayloadVersion</key><integer>1</integer>
</dict>
</plist>
"""
ADDRESSLESS = PROFILE.replace("<string>{{{{name}}}}</string>", "<string></string>").replace("<string>{{{{address}}}}</string>", "<string></string>").replace("<string>{{{{login:%EMAILADDRESS%}}}}</string>", "<string></string>")
SETUP = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Mail set-up for {{{{domain:unicode}}}}</title></head>
<body>
<h1>Provider {i}: {{{{domain:unicode}}}}</h1>
<p><a href="https://autoconfig.{{{{domain}}}}/mobileconfig/{{{{domain}}}}.mobileconfig">Apple profile</a></p>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{{{qr:size}}}} {{{{qr:size}}}}"><path d="{{{{qr:path}}}}"/></svg>
<p>IMAP imap.{prov}:993, SMTP smtp.{prov}:465</p>
</body>
</html>
"""
PACC = """{{"protocols":{{"imap":{{"host":"imap.{prov}","port":993,"encryption":"tls"}},"smtp":{{"host":"smtp.{prov}","port":465,"encryption":"tls"}}}},"authentication":["password-cleartext"]}}
"""
ERROR = """<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response><Error Time="{{{{time}}}}" Id="{{{{requestid}}}}"><ErrorCode>{code}</ErrorCode><Message>{msg}</Message><DebugData /></Error></Response>
</Autodiscover>
"""

# The documents go into packs, private/docs/<xx>.pack, encoded as docs/site-format.md ("Document packs") says.
import struct
packs = {}
PAGE_SLOTS = {"{{domain}}": 4, "{{domain:unicode}}": 8, "{{qr:size}}": 9, "{{qr:path}}": 10}
SLOTS = {"address": 1, "name": 3, "domain": 4, "time": 6, "requestid": 7}
PLACEHOLDERS = {"%EMAILADDRESS%": 1, "%EMAILLOCALPART%": 2, "%EMAILDOMAIN%": 3}

def literal(t):
    b = t.encode()
    return (b"\0" + struct.pack(">I", len(b)) + b, len(b)) if b else (b"", 0)

def encode(text, ext):
    if ext == "json":
        lit, n = literal(text)
        return bytes([1]) + struct.pack(">I", n) + lit
    ops, total, pos = [], 0, 0
    while True:
        open_ = text.find("{{", pos)
        if ext == "html":
            while open_ >= 0 and not any(text.startswith(k, open_) for k in PAGE_SLOTS):
                open_ = text.find("{{", open_ + 2)
        if open_ < 0:
            break
        lit, n = literal(text[pos:open_]); ops.append(lit); total += n
        if ext == "html":
            key = next(k for k in PAGE_SLOTS if text.startswith(k, open_))
            ops.append(bytes([PAGE_SLOTS[key]])); pos = open_ + len(key); continue
        close = text.index("}}", open_)
        body = text[open_ + 2:close]; pos = close + 2
        if body.startswith("login:"):
            t, parts, i = body[6:], [], 0
            while i < len(t):
                hits = [(t.find(k, i), k) for k in PLACEHOLDERS if t.find(k, i) >= 0]
                j, k = min(hits) if hits else (len(t), None)
                if j > i: parts.append(literal(t[i:j])[0])
                if k is None: break
                parts.append(bytes([PLACEHOLDERS[k]])); i = j + len(k)
            ops.append(bytes([2]) + struct.pack(">H", len(parts)) + b"".join(parts))
        elif body.startswith("uuid:"):
            label = body[5:].encode(); ops.append(bytes([5]) + struct.pack(">H", len(label)) + label)
        else:
            ops.append(bytes([SLOTS[body]]))
    lit, n = literal(text[pos:]); ops.append(lit); total += n
    return bytes([2 if ext == "html" else 0]) + struct.pack(">I", total) + b"".join(ops)

def write_doc(text, ext):
    h = hashlib.sha256(text.encode()).hexdigest()
    rel = f"docs/{h}.{ext}"
    packs.setdefault(h[:2], {})[rel] = encode(text, ext)
    return rel

def write_packs():
    for shard, docs in packs.items():
        # Pack order (docs/site-format.md): by kind (xml, plist, json, html), then by name.
        kinds = {"xml": 0, "plist": 1, "json": 2, "html": 3}
        names = sorted(docs, key=lambda n: (kinds.get(n.rsplit(".", 1)[1], 4), n))
        offset = 12 + sum(1 + len(n) + 8 for n in names)
        index = b"AGPK" + struct.pack(">II", 1, len(names))
        for name in names:
            index += bytes([len(name)]) + name.encode() + struct.pack(">II", offset, len(docs[name]))
            offset += len(docs[name])
        with open(os.path.join(priv, f"docs/{shard}.pack"), "wb") as f:
            f.write(index + b"".join(docs[n] for n in names))

providers = []
for i in range(p):
    prov = "example.com" if i == 0 else f"provider{i}.example"
    providers.append((write_doc(AUTOCONFIG.format(prov=prov, i=i), "xml"), write_doc(OUTLOOK.format(prov=prov, i=i), "xml"),
                      write_doc(PROFILE.format(prov=prov, i=i), "plist"), prov,
                      write_doc(ADDRESSLESS.format(prov=prov, i=i), "plist"), write_doc(SETUP.format(prov=prov, i=i), "html"),
                      write_doc(PACC.format(prov=prov), "json")))
write_packs()
with open(os.path.join(priv, "errors/autodiscover-600.xml"), "w") as f:
    f.write(ERROR.format(code=600, msg="Invalid Request"))
with open(os.path.join(priv, "errors/autodiscover-601.xml"), "w") as f:
    f.write(ERROR.format(code=601, msg="Provider is not available"))
domains = ["example.com"] + [f"d{j}.example" for j in range(1, n)]
with open(os.path.join(priv, "domains.tsv"), "w") as f, open(os.path.join(priv, "pacc.tsv"), "w") as pacc:
    f.write("#autogen-site 1\n")
    pacc.write("#autogen-pacc 1\n")
    for j, d in enumerate(sorted(domains)):
        ac, ol, pl, prov, al, sp, pa = providers[j % p] if d != "example.com" else providers[0]
        cols = [d, prov, ac, ol, "-", pl, "-", f"https://autodiscover.{d}/autodiscover/autodiscover.xml", "-"]
        f.write("\t".join(cols + ([al, sp] if columns == 11 else [])) + "\n")
        pacc.write(f"{d}\t{pa}\n")
with open(os.path.join(priv, "setup-page.csp"), "w") as f:
    f.write("default-src 'none'; style-src 'unsafe-inline'; img-src data:\n")
pub = os.path.join(out, "v-" + version, "public", "example.com", "mail")
os.makedirs(pub, exist_ok=True)
with open(os.path.join(pub, "config-v1.1.xml"), "w") as f:
    f.write(AUTOCONFIG.format(prov="example.com", i=0).replace("{{domain}}", "example.com").replace("{{login:%EMAILADDRESS%}}", "%EMAILADDRESS%"))
tmp = os.path.join(out, ".current.tmp")
if os.path.lexists(tmp):
    os.remove(tmp)
os.symlink("v-" + version, tmp)
os.replace(tmp, os.path.join(out, "current"))
print(version)
