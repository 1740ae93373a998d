<#-- Apache httpd 2.4 include. Model: dev.autogen.render.WebServerConfig.Model. Plain text: every value was
     validated by the renderer (host names, an absolute path without quotes, '$', '%' or braces). -->
# autogen: mail-client autoconfiguration for Apache httpd 2.4. Generated: do not edit, re-render instead.
# Include at server level (not inside a <VirtualHost>), e.g. from /etc/apache2/sites-available/autogen.conf:
#     Include ${publicRoot?keep_before_last("/")}/conf/apache/autogen.conf
# Needs mod_rewrite, mod_proxy, mod_proxy_http and mod_headers (Debian: a2enmod rewrite proxy proxy_http headers).
# Reload Apache after each render that adds or removes Autodiscover host names.
# TLS is left to you: copy the VirtualHost to *:443 with SSLEngine on (see docs/deploying.md).
<IfModule !rewrite_module>
    Error "autogen: mod_rewrite is required (a2enmod rewrite)"
</IfModule>
<IfModule !proxy_http_module>
    Error "autogen: mod_proxy and mod_proxy_http are required (a2enmod proxy proxy_http)"
</IfModule>
<IfModule !headers_module>
    Error "autogen: mod_headers is required (a2enmod headers)"
</IfModule>

# The responder, as a pooled worker that the [P] rules below reuse.
<Proxy "${responderUrl}/">
    ProxySet connectiontimeout=5 timeout=15
</Proxy>

<Directory "${publicRoot}">
    Options None
    AllowOverride None
    Require all granted
    <Files "config-v1.1.xml">
        ForceType "text/xml; charset=utf-8"
    </Files>
    <FilesMatch "\.mobileconfig$">
        ForceType application/x-apple-aspen-config
    </FilesMatch>
    # The setup pages (docs/setup-page.md), under a policy that lets nothing load.
    <Files "index.html">
        ForceType "text/html; charset=utf-8"
        Header always set Content-Security-Policy "${setupPageCsp}"
        Header always set X-Content-Type-Options nosniff
        Header always set Referrer-Policy no-referrer
    </Files>
</Directory>

<VirtualHost *:80>
    # Never a real host name: the aliases below select this virtual host.
    ServerName autogen.invalid
    ServerAlias autoconfig.* autodiscover.*
<#list extraServerNames as n>
    ServerAlias ${n}
</#list>
    # SSLEngine on
    # SSLCertificateFile    /etc/ssl/autogen/fullchain.pem   # must cover every name above
    # SSLCertificateKeyFile /etc/ssl/autogen/privkey.pem

    LimitRequestBody 65536
    ProxyPreserveHost On
    # mod_proxy adds X-Forwarded-For and X-Forwarded-Host; the scheme is added here.
    RequestHeader set X-Forwarded-Proto "expr=%{REQUEST_SCHEME}"

    RewriteEngine On
    RewriteMap autogen_lower int:tolower

    # The responder's health and metrics stay local (ask its own port).
    RewriteRule "^/(health|metrics)$" - [F]

    # Microsoft Autodiscover (POX and v2 JSON), any letter case.
    RewriteRule "^/autodiscover/" "${responderUrl}%{REQUEST_URI}" [NC,P]

    # Apple: per-user profiles from the responder, the address-less profile of any domain static.
    RewriteRule "^/mobileconfig/?$" "${responderUrl}%{REQUEST_URI}" [P]
    RewriteCond "${publicRoot}/$1/$1.mobileconfig" -f
    RewriteRule "^/mobileconfig/([a-z0-9][a-z0-9.-]*)\.mobileconfig$" "${publicRoot}/$1/$1.mobileconfig" [L]

    # Mozilla autoconfig: with an address from the responder, else the static file of the host's domain
    # (autoconfig.<domain> and autodiscover.<domain>; other Autodiscover hosts serve only requests with an address).
    RewriteCond "%{QUERY_STRING}" "(^|&)emailaddress=[^&]" [NC]
    RewriteRule "^/(mail/config-v1\.1\.xml|\.well-known/autoconfig/mail/config-v1\.1\.xml)$" "${responderUrl}%{REQUEST_URI}" [P]
    RewriteCond "${r"${autogen_lower:%{HTTP_HOST}}"}" "^(autoconfig|autodiscover)\.([a-z0-9][a-z0-9.-]*[a-z0-9])\.?(:[0-9]+)?$"
    RewriteCond "${publicRoot}/%2/mail/config-v1.1.xml" -f
    RewriteRule "^/(mail/config-v1\.1\.xml|\.well-known/autoconfig/mail/config-v1\.1\.xml)$" "${publicRoot}/%2/$1" [L]

    # The setup page of the host's domain.
    RewriteCond "${r"${autogen_lower:%{HTTP_HOST}}"}" "^(autoconfig|autodiscover)\.([a-z0-9][a-z0-9.-]*[a-z0-9])\.?(:[0-9]+)?$"
    RewriteCond "${publicRoot}/%2/index.html" -f
    RewriteRule "^/$" "${publicRoot}/%2/index.html" [L]

    # Everything else, including the public tree by path.
    RewriteRule "^" - [R=404]
</VirtualHost>

# For https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml, add to each domain's own web-site virtual host
# (autogen does not claim the bare domain names):
#
#     RewriteEngine On
#     RewriteMap autogen_lower int:tolower
#     ProxyPreserveHost On
#     RewriteCond "%{QUERY_STRING}" "(^|&)emailaddress=[^&]" [NC]
#     RewriteRule "^/\.well-known/autoconfig/mail/config-v1\.1\.xml$" "${responderUrl}%{REQUEST_URI}" [P]
#     RewriteCond "${r"${autogen_lower:%{HTTP_HOST}}"}" "^([a-z0-9][a-z0-9.-]*[a-z0-9])\.?(:[0-9]+)?$"
#     RewriteCond "${publicRoot}/%1/.well-known/autoconfig/mail/config-v1.1.xml" -f
#     RewriteRule "^/\.well-known/autoconfig/mail/config-v1\.1\.xml$" "${publicRoot}/%1/.well-known/autoconfig/mail/config-v1.1.xml" [L]
