<#-- Apache httpd 2.4 include. Model: dev.autogen.render.WebServerConfig.Model (docs/templates.md). Plain text: every
     value was validated by the renderer (host names, listen addresses, absolute paths without quotes, '$', '%',
     braces or line breaks). -->
# autogen: mail-client autoconfiguration for Apache httpd 2.4. Generated: do not edit, re-render instead (or
# render with --templates).
# Include at server level (not inside a <VirtualHost>), e.g. from /etc/apache2/sites-available/autogen.conf:
#     Include ${publicRoot?keep_before_last("/")}/conf/apache/autogen.conf
# Needs mod_rewrite, mod_proxy, mod_proxy_http<#if tls>, mod_headers and mod_ssl<#else> and mod_headers</#if> (Debian: a2enmod rewrite proxy proxy_http headers<#if tls> ssl</#if>).
# The ports must be open with Listen (Debian: /etc/apache2/ports.conf has 80 and, with mod_ssl, 443).
# Reload Apache after each render that adds or removes Autodiscover host names.
<#if tls>
# HTTPS on ${httpsVhost}<#if perDomainCertificate> with a certificate per domain<#else> with one certificate for every name</#if>.
<#if redirectToHttps>
# Plain HTTP on ${httpVhost} answers autoconfig only (KMail and Thunderbird's fallback ask over http) and
# redirects everything else to HTTPS.
</#if>
<#else>
# Plain HTTP only: Outlook and Apple devices need HTTPS; see "web:" in docs/yaml-reference.md.
</#if>
<IfModule !rewrite_module>
    Error "autogen: mod_rewrite is required (a2enmod rewrite)"
</IfModule>
<IfModule !proxy_http_module>
    Error "autogen: mod_proxy and mod_proxy_http are required (a2enmod proxy proxy_http)"
</IfModule>
<IfModule !headers_module>
    Error "autogen: mod_headers is required (a2enmod headers)"
</IfModule>
<#if tls>
<IfModule !ssl_module>
    Error "autogen: mod_ssl is required for HTTPS (a2enmod ssl)"
</IfModule>
</#if>

# The responder, as a pooled worker that the [P] rules below reuse.
<Proxy "${responderUrl}/">
    ProxySet connectiontimeout=5 timeout=15
</Proxy>

<#if compact>
# Compact layout (docs/site-format.md): no public tree; every request on the autogen names goes to the responder,
# which answers all of it (setup pages, profiles, PACC, RFC 6764 redirects) from memory.
<#if tls && perDomainCertificate>
# Apache cannot choose a certificate file by a pattern: per-domain certificates still need one virtual host per
# domain below (use one certificate for every name, e.g. a wildcard, to have none; docs/scaling.md).
</#if>
<#else>
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
    # PACC: web-based mail clients fetch the document from other origins.
    <Files "user-agent-configuration.json">
        ForceType application/json
        Header always set Access-Control-Allow-Origin "*"
    </Files>
    # The setup pages (docs/setup-page.md), under a policy that lets nothing load.
    <Files "index.html">
        ForceType "text/html; charset=utf-8"
        Header always set Content-Security-Policy "${setupPageCsp}"
        Header always set X-Content-Type-Options nosniff
        Header always set Referrer-Policy no-referrer
    </Files>
</Directory>
</#if>
<#macro common>
<#if accessLog == "off">
    # Apache has no "off": a virtual host with its own CustomLog does not write the server's.
    CustomLog "/dev/null" common
<#elseif accessLog?has_content>
    # The "combined" format, spelled out: the nickname is defined by Debian's apache2.conf, not by every httpd.conf.
    CustomLog "${accessLog}" "%h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\""
</#if>
    LimitRequestBody 65536
    ProxyPreserveHost On
    # mod_proxy adds X-Forwarded-For and X-Forwarded-Host; the scheme is added here.
    RequestHeader set X-Forwarded-Proto "expr=%{REQUEST_SCHEME}"

    RewriteEngine On
    RewriteMap autogen_lower int:tolower
</#macro>
<#macro autoconfig>
<#if compact>

    # Mozilla autoconfig: from the responder.
    RewriteRule "^/(mail/config-v1\.1\.xml|\.well-known/autoconfig/mail/config-v1\.1\.xml)$" "${responderUrl}%{REQUEST_URI}" [P]
<#else>

    # Mozilla autoconfig: with an address from the responder, else the static file of the host's domain
    # (autoconfig.<domain> and autodiscover.<domain>; other Autodiscover hosts serve only requests with an address).
    RewriteCond "%{QUERY_STRING}" "(^|&)emailaddress=[^&]" [NC]
    RewriteRule "^/(mail/config-v1\.1\.xml|\.well-known/autoconfig/mail/config-v1\.1\.xml)$" "${responderUrl}%{REQUEST_URI}" [P]
    RewriteCond "${r"${autogen_lower:%{HTTP_HOST}}"}" "^(autoconfig|autodiscover)\.([a-z0-9][a-z0-9.-]*[a-z0-9])\.?(:[0-9]+)?$"
    RewriteCond "${publicRoot}/%2/mail/config-v1.1.xml" -f
    RewriteRule "^/(mail/config-v1\.1\.xml|\.well-known/autoconfig/mail/config-v1\.1\.xml)$" "${publicRoot}/%2/$1" [L]
<#if hosting.unknownToResponder>
    # Hosts without a static file (the default provider, MX domains): the responder knows what they get.
    RewriteRule "^/(mail/config-v1\.1\.xml|\.well-known/autoconfig/mail/config-v1\.1\.xml)$" "${responderUrl}%{REQUEST_URI}" [P]
</#if>
</#if>
</#macro>
<#macro routes>
<#if compact>

    # The responder's health and metrics stay local (ask its own port).
    RewriteRule "^/(health|metrics)$" - [F]

    # Everything else: the responder.
    RewriteRule "^/" "${responderUrl}%{REQUEST_URI}" [P]
<#else>

    # The responder's health and metrics stay local (ask its own port).
    RewriteRule "^/(health|metrics)$" - [F]

    # Microsoft Autodiscover (POX and v2 JSON), any letter case.
    RewriteRule "^/autodiscover/" "${responderUrl}%{REQUEST_URI}" [NC,P]

    # Apple: per-user profiles from the responder, the address-less profile of any domain static.
    RewriteRule "^/mobileconfig/?$" "${responderUrl}%{REQUEST_URI}" [P]
    RewriteCond "${publicRoot}/$1/$1.mobileconfig" -f
    RewriteRule "^/mobileconfig/([a-z0-9][a-z0-9.-]*)\.mobileconfig$" "${publicRoot}/$1/$1.mobileconfig" [L]
<#if hosting.anyDomain>
    # Domains no provider lists: the default provider's address-less profile, from the responder.
    RewriteRule "^/mobileconfig/([a-z0-9][a-z0-9.-]*)\.mobileconfig$" "${responderUrl}%{REQUEST_URI}" [P]
</#if>
<@autoconfig/>
<#if hosting.caldav?has_content || hosting.carddav?has_content || hosting.anyDomain>

    # RFC 6764: /.well-known/caldav and /.well-known/carddav answer 301 to the domain's DAV URL; the responder holds
    # the table (this configuration serves files by path and has no per-domain table of its own).
    RewriteRule "^/\.well-known/(caldav|carddav)$" "${responderUrl}%{REQUEST_URI}" [P]
</#if>

    # PACC (draft-ietf-mailmaint-pacc): the document of ua-auto-config.<domain>, static: exactly the bytes its
    # _ua-auto-config TXT digest covers.
    RewriteCond "${r"${autogen_lower:%{HTTP_HOST}}"}" "^ua-auto-config\.([a-z0-9][a-z0-9.-]*[a-z0-9])\.?(:[0-9]+)?$"
    RewriteCond "${publicRoot}/%1/.well-known/user-agent-configuration.json" -f
    RewriteRule "^/\.well-known/user-agent-configuration\.json$" "${publicRoot}/%1/.well-known/user-agent-configuration.json" [L]
<#if hosting.anyDomain>
    # A domain nobody lists: the default provider's document, from the responder.
    RewriteCond "${r"${autogen_lower:%{HTTP_HOST}}"}" "^ua-auto-config\."
    RewriteRule "^/\.well-known/user-agent-configuration\.json$" "${responderUrl}%{REQUEST_URI}" [P]
</#if>

    # The setup page of the host's domain.
    RewriteCond "${r"${autogen_lower:%{HTTP_HOST}}"}" "^(autoconfig|autodiscover)\.([a-z0-9][a-z0-9.-]*[a-z0-9])\.?(:[0-9]+)?$"
    RewriteCond "${publicRoot}/%2/index.html" -f
    RewriteRule "^/$" "${publicRoot}/%2/index.html" [L]

    # Everything else, including the public tree by path.
    RewriteRule "^" - [R=404]
</#if>
</#macro>
<#if httpVhost?has_content>

<VirtualHost ${httpVhost}>
    # Never a real host name: the aliases below select this virtual host.
    ServerName autogen.invalid
    ServerAlias autoconfig.* autodiscover.* ua-auto-config.*
<#list extraServerNames as n>
    ServerAlias ${n}
</#list>
<@common/>
<#if redirectToHttps>
<@autoconfig/>

    # Everything else moves to HTTPS. Outlook's "HTTP redirect method" follows a 302 for Autodiscover only to an
    # https URL.
    RewriteRule "^/autodiscover/" "https://%{SERVER_NAME}${httpsPortSuffix}%{REQUEST_URI}" [NC,R=302,L]
    RewriteRule "^" "https://%{SERVER_NAME}${httpsPortSuffix}%{REQUEST_URI}" [R=301,L]
<#else>
<@routes/>
</#if>
</VirtualHost>
</#if>
<#list tlsHosts as h>

<VirtualHost ${httpsVhost}>
<#if h.serverName == "autogen.invalid">
    # Never a real host name: the aliases below select this virtual host.
</#if>
    ServerName ${h.serverName}
<#list h.aliases as n>
    ServerAlias ${n}
</#list>
    SSLEngine on
    SSLCertificateFile "${h.certificate}"
    SSLCertificateKeyFile "${h.certificateKey}"
<@common/>
<@routes/>
</VirtualHost>
</#list>
<#if compact>

# For https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml and /.well-known/caldav|carddav (RFC 6764), add
# to each domain's own web-site virtual host (autogen does not claim the bare domain names):
#
#     RewriteEngine On
#     ProxyPreserveHost On
#     RewriteRule "^/\.well-known/(autoconfig/mail/config-v1\.1\.xml|caldav|carddav)$" "${responderUrl}%{REQUEST_URI}" [P]
<#else>

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
<#if hosting.unknownToResponder>
#     RewriteRule "^/\.well-known/autoconfig/mail/config-v1\.1\.xml$" "${responderUrl}%{REQUEST_URI}" [P]
</#if>
<#if hosting.caldav?has_content || hosting.carddav?has_content || hosting.anyDomain>
#
# For https://<domain>/.well-known/caldav and /.well-known/carddav (RFC 6764), add to the same virtual hosts:
#
#     RewriteRule "^/\.well-known/(caldav|carddav)$" "${responderUrl}%{REQUEST_URI}" [P]
</#if>
</#if>
