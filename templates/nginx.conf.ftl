<#-- NGINX include for the http{} block. Model: dev.autogen.render.WebServerConfig.Model (docs/templates.md). Plain
     text: every value was validated by the renderer (host names, listen addresses, absolute paths without quotes,
     '$' or line breaks). -->
# autogen: mail-client autoconfiguration. Generated: do not edit, re-render instead (or render with --templates).
# Include inside nginx's http{} block, e.g. in /etc/nginx/conf.d/autogen.conf:
#     include ${publicRoot?keep_before_last("/")}/conf/nginx/autogen.conf;
<#if compact>
# and reload nginx after each render that changes it (compact layout: only other Autodiscover hosts or the listen
# settings change it; adding domains does not).
<#else>
# and reload nginx after each render that adds or removes domains (static files switch without a reload).
</#if>
<#if tls>
# HTTPS on ${httpsListen?join(", ")}<#if perDomainCertificate> with a certificate per domain<#else> with one certificate for every name</#if>.
<#if redirectToHttps>
# Plain HTTP on ${httpListen?join(", ")} answers autoconfig only (KMail and Thunderbird's fallback ask over http)
# and redirects everything else to HTTPS.
</#if>
<#else>
# Plain HTTP only: Outlook and Apple devices need HTTPS; see "web:" in docs/yaml-reference.md.
</#if>

<#if compact>
# Compact layout (docs/site-format.md): no file and no line per domain here. Every request on the autogen names goes
# to the responder, which answers all of it (setup pages, profiles, PACC, RFC 6764 redirects) from memory.
<#if serverNamesHashMaxSize gt 0>
server_names_hash_max_size ${serverNamesHashMaxSize?c};
server_names_hash_bucket_size ${serverNamesHashBucketSize?c};
</#if>
<#if perDomainCertificate>

# The certificate for the TLS handshake (SNI): the domain is the part after autoconfig., autodiscover. or
# ua-auto-config. A pattern, not a list: it adds nothing per domain.
map $ssl_server_name $autogen_tls_domain {
    default "";
<#list hostMap as e>
    ${e.host} ${e.domain};
</#list>
    "~^(autoconfig|autodiscover|ua-auto-config)\.(?<autogen_tls_name>[a-z0-9][a-z0-9.-]*[a-z0-9])$" $autogen_tls_name;
}
</#if>

upstream autogen_responder {
    server ${responderHost}:${responderPort?c};
    keepalive 16;
}
<#macro compactCommon>
    server_name autoconfig.* autodiscover.* ua-auto-config.*<#list extraServerNames as n> ${n}</#list>;

<#if accessLog == "off">
    access_log off;
<#elseif accessLog?has_content>
    access_log "${accessLog}";
</#if>
    client_max_body_size 64k;     # Autodiscover requests are a few hundred bytes

    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $remote_addr;
    proxy_set_header X-Forwarded-Host $host;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_connect_timeout 5s;
    proxy_read_timeout 15s;

    # The responder's health and metrics stay local (ask its own port).
    location = /health { deny all; }
    location = /metrics { deny all; }
</#macro>

server {
<#if !redirectToHttps>
<#list httpListen as a>
    listen ${a};
</#list>
</#if>
<#list httpsListen as a>
    listen ${a} ssl;
</#list>
<#if tls>
<#if perDomainCertificate>
    # Loaded per handshake for the name the client asked for (a name of no single domain fails the handshake).
</#if>
    ssl_certificate     "${certificate}";
    ssl_certificate_key "${certificateKey}";
</#if>
<@compactCommon/>

    location / { proxy_pass ${responderScheme}://autogen_responder; }
}
<#if redirectToHttps>

# Plain HTTP: autoconfig as above (KMail asks only over http, Thunderbird falls back to it); everything else moves
# to HTTPS. Outlook's "HTTP redirect method" follows a 302 for Autodiscover only to an https URL.
server {
<#list httpListen as a>
    listen ${a};
</#list>
<@compactCommon/>

    location = /mail/config-v1.1.xml { proxy_pass ${responderScheme}://autogen_responder; }
    location = /.well-known/autoconfig/mail/config-v1.1.xml { proxy_pass ${responderScheme}://autogen_responder; }
    location ~* ^/autodiscover/ { return 302 https://$host${httpsPortSuffix}$request_uri; }
    location / { return 301 https://$host${httpsPortSuffix}$request_uri; }
}
</#if>

# For https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml and /.well-known/caldav|carddav (RFC 6764), add
# this to each domain's existing web-site server block (autogen does not claim the bare domain names):
#
#     location ~ ^/\.well-known/(autoconfig/mail/config-v1\.1\.xml|caldav|carddav)$ {
#         proxy_set_header Host $host;
#         proxy_set_header X-Forwarded-For $remote_addr;
#         proxy_set_header X-Forwarded-Host $host;
#         proxy_set_header X-Forwarded-Proto $scheme;
#         proxy_pass ${responderScheme}://autogen_responder;
#     }
<#else>
# Host name -> mail domain whose public files this host serves. ${hostMap?size} names.
# These two settings let nginx build the table for any number of names; if your nginx.conf sets them too, keep
# only the larger values (nginx refuses duplicates).
map_hash_max_size ${mapHashMaxSize?c};
map_hash_bucket_size ${mapHashBucketSize?c};
<#if serverNamesHashMaxSize gt 0>
server_names_hash_max_size ${serverNamesHashMaxSize?c};
server_names_hash_bucket_size ${serverNamesHashBucketSize?c};
</#if>

map $host $autogen_domain {
    default "";
<#list hostMap as e>
    ${e.host} ${e.domain};
</#list>
}
<#if perDomainCertificate>

# The same table for the TLS handshake (SNI), which comes before any Host header: selects the certificate.
map $ssl_server_name $autogen_tls_domain {
    default "";
<#list hostMap as e>
    ${e.host} ${e.domain};
</#list>
<#list hosting.mxNames as e>
    ${e.host} ${e.domain};   # MX route
</#list>
    "~^ua-auto-config\.(?<autogen_tls_pacc>[a-z0-9][a-z0-9.-]*[a-z0-9])$" $autogen_tls_pacc;
}
</#if>

# PACC (draft-ietf-mailmaint-pacc): ua-auto-config.<domain> -> <domain>. A pattern, not a list: it adds nothing per
# domain, and a name without a document simply gets 404.
map $host $autogen_pacc_domain {
    default "";
    "~^ua-auto-config\.(?<autogen_pacc_name>[a-z0-9][a-z0-9.-]*[a-z0-9])$" $autogen_pacc_name;
}

# RFC 6764: /.well-known/caldav and /.well-known/carddav redirect (301) to the domain's CalDAV/CardDAV URL.
# Hosts of domains without DAV servers are not listed (404).
map $host $autogen_caldav {
    default "";
<#list hosting.caldav as e>
    ${e.host} "${e.url}";
</#list>
}
map $host $autogen_carddav {
    default "";
<#list hosting.carddav as e>
    ${e.host} "${e.url}";
</#list>
}

upstream autogen_responder {
    server ${responderHost}:${responderPort?c};
    keepalive 16;
}
<#macro common>
    server_name autoconfig.* autodiscover.* ua-auto-config.*<#list extraServerNames as n> ${n}</#list>;

    root "${publicRoot}";
<#if accessLog == "off">
    access_log off;
<#elseif accessLog?has_content>
    access_log "${accessLog}";
</#if>
    client_max_body_size 64k;     # Autodiscover requests are a few hundred bytes

    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $remote_addr;
    proxy_set_header X-Forwarded-Host $host;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_connect_timeout 5s;
    proxy_read_timeout 15s;
    recursive_error_pages on;     # the autoconfig fallback below is an error page of an error page
</#macro>
<#macro autoconfig>

    # Mozilla autoconfig: static for the host's domain unless the client sent its address.
<#if hosting.unknownToResponder>
    # Hosts of no listed domain (the default provider, MX domains) ask the responder: it knows what they get.
</#if>
    location = /mail/config-v1.1.xml {
        error_page 418 = @autogen_autoconfig;
        if ($arg_emailaddress) { return 418; }
        if ($autogen_domain = "") { return ${hosting.unknownToResponder?then("418", "404")}; }
        types { }
        default_type "text/xml; charset=utf-8";
        try_files /$autogen_domain/mail/config-v1.1.xml =404;
    }
    location = /.well-known/autoconfig/mail/config-v1.1.xml {
        error_page 418 = @autogen_autoconfig;
        if ($arg_emailaddress) { return 418; }
        if ($autogen_domain = "") { return ${hosting.unknownToResponder?then("418", "404")}; }
        types { }
        default_type "text/xml; charset=utf-8";
        try_files /$autogen_domain/.well-known/autoconfig/mail/config-v1.1.xml =404;
    }

    # Autoconfig with an address; while the responder cannot be reached, the static file (its placeholders are
    # filled in by the client) keeps mail clients working.
    location @autogen_autoconfig {
        proxy_pass ${responderScheme}://autogen_responder;
        error_page 502 504 = @autogen_autoconfig_static;
    }
    location @autogen_autoconfig_static {
        if ($autogen_domain = "") { return 404; }
        types { }
        default_type "text/xml; charset=utf-8";
        try_files /$autogen_domain/mail/config-v1.1.xml =404;
    }
</#macro>

server {
<#if !redirectToHttps>
<#list httpListen as a>
    listen ${a};
</#list>
</#if>
<#list httpsListen as a>
    listen ${a} ssl;
</#list>
<#if tls>
<#if perDomainCertificate>
    # Loaded per handshake for the name the client asked for (a name of no single domain fails the handshake).
</#if>
    ssl_certificate     "${certificate}";
    ssl_certificate_key "${certificateKey}";
</#if>
<@common/>
<@autoconfig/>

    # Apple: the address-less profile of any domain, static; the per-user profile from the responder.
    location ~ ^/mobileconfig/(?<autogen_profile>[a-z0-9][a-z0-9.-]*)\.mobileconfig$ {
        types { }
        default_type application/x-apple-aspen-config;
        try_files /$autogen_profile/$autogen_profile.mobileconfig ${hosting.anyDomain?then("@autogen_responder", "=404")};
    }
    location = /mobileconfig { proxy_pass ${responderScheme}://autogen_responder; }
    location = /mobileconfig/ { proxy_pass ${responderScheme}://autogen_responder; }

    # Microsoft Autodiscover (POX and v2 JSON), any letter case.
    location ~* ^/autodiscover/ { proxy_pass ${responderScheme}://autogen_responder; }

    # PACC: the document of the host's domain, static: exactly the bytes its _ua-auto-config TXT digest covers.
    # Web-based mail clients fetch it from other origins.
    location = /.well-known/user-agent-configuration.json {
        if ($autogen_pacc_domain = "") { return 404; }
        types { }
        default_type application/json;
        add_header Access-Control-Allow-Origin "*" always;
<#if hosting.anyDomain>
        # A domain nobody lists: the default provider's document, from the responder.
        try_files /$autogen_pacc_domain/.well-known/user-agent-configuration.json @autogen_responder;
<#else>
        try_files /$autogen_pacc_domain/.well-known/user-agent-configuration.json =404;
</#if>
    }

    # RFC 6764 redirects for calendars and contacts (Thunderbird looks here after the mail account is set up).
    location = /.well-known/caldav {
        if ($autogen_caldav) { return 301 $autogen_caldav; }
<#if hosting.anyDomain>
        error_page 418 = @autogen_responder;
        if ($autogen_domain = "") { return 418; }
</#if>
        return 404;
    }
    location = /.well-known/carddav {
        if ($autogen_carddav) { return 301 $autogen_carddav; }
<#if hosting.anyDomain>
        error_page 418 = @autogen_responder;
        if ($autogen_domain = "") { return 418; }
</#if>
        return 404;
    }

    # The responder's health and metrics stay local (ask its own port).
    location = /health { deny all; }
    location = /metrics { deny all; }

    location @autogen_responder { proxy_pass ${responderScheme}://autogen_responder; }

    # The host's domain's setup page (docs/setup-page.md): static, under a policy that lets nothing load.
    location = / {
        if ($autogen_domain = "") { return 404; }
        add_header Content-Security-Policy "${setupPageCsp}" always;
        add_header X-Content-Type-Options nosniff always;
        add_header Referrer-Policy no-referrer always;
        types { }
        default_type "text/html; charset=utf-8";
        try_files /$autogen_domain/index.html =404;
    }
    location / { return 404; }
}
<#if redirectToHttps>

# Plain HTTP: autoconfig as above (KMail asks only over http, Thunderbird falls back to it); everything else moves
# to HTTPS. Outlook's "HTTP redirect method" follows a 302 for Autodiscover only to an https URL.
server {
<#list httpListen as a>
    listen ${a};
</#list>
<@common/>
<@autoconfig/>

    location ~* ^/autodiscover/ { return 302 https://$host${httpsPortSuffix}$request_uri; }
    location / { return 301 https://$host${httpsPortSuffix}$request_uri; }
}
</#if>

# For https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml, add this to each domain's existing web-site
# server block (autogen does not claim the bare domain names):
#
#     location = /.well-known/autoconfig/mail/config-v1.1.xml {
#         error_page 418 = @autogen_responder;
#         if ($arg_emailaddress) { return 418; }
#         if ($autogen_domain = "") { return ${hosting.unknownToResponder?then("418", "404")}; }
#         root "${publicRoot}";
#         types { }
#         default_type "text/xml; charset=utf-8";
#         try_files /$autogen_domain/.well-known/autoconfig/mail/config-v1.1.xml =404;
#     }
#     location @autogen_responder {
#         proxy_set_header Host $host;
#         proxy_set_header X-Forwarded-For $remote_addr;
#         proxy_set_header X-Forwarded-Host $host;
#         proxy_set_header X-Forwarded-Proto $scheme;
#         proxy_pass ${responderScheme}://autogen_responder;
#     }
#
# For https://<domain>/.well-known/caldav and /.well-known/carddav (RFC 6764), add this to the same server blocks
# (the maps above are defined for every server; domains without DAV servers get 404 here):
#
#     location = /.well-known/caldav {
#         if ($autogen_caldav) { return 301 $autogen_caldav; }
<#if hosting.anyDomain>
#         error_page 418 = @autogen_responder;
#         if ($autogen_domain = "") { return 418; }
</#if>
#         return 404;
#     }
#     location = /.well-known/carddav {
#         if ($autogen_carddav) { return 301 $autogen_carddav; }
<#if hosting.anyDomain>
#         error_page 418 = @autogen_responder;
#         if ($autogen_domain = "") { return 418; }
</#if>
#         return 404;
#     }
</#if>
