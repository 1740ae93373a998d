<#-- NGINX include for the http{} block. Model: dev.autogen.render.WebServerConfig.Model. Plain text: every value
     was validated by the renderer (host names, an absolute path without quotes or '$'). -->
# autogen: mail-client autoconfiguration. Generated: do not edit, re-render instead.
# Include inside nginx's http{} block, e.g. in /etc/nginx/conf.d/autogen.conf:
#     include ${publicRoot?keep_before_last("/")}/conf/nginx/autogen.conf;
# and reload nginx after each render that adds or removes domains (static files switch without a reload).
# TLS is left to you: see the commented lines in the server block and docs/deploying.md.

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

upstream autogen_responder {
    server ${responderHost}:${responderPort?c};
    keepalive 16;
}

server {
    listen 80;
    listen [::]:80;
    # listen 443 ssl;
    # listen [::]:443 ssl;
    # ssl_certificate     /etc/ssl/autogen/fullchain.pem;   # must cover every name below (autoconfig.*, autodiscover.*)
    # ssl_certificate_key /etc/ssl/autogen/privkey.pem;

    server_name autoconfig.* autodiscover.*<#list extraServerNames as n> ${n}</#list>;

    root "${publicRoot}";
    access_log off;
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

    # Mozilla autoconfig: static for the host's domain unless the client sent its address.
    location = /mail/config-v1.1.xml {
        error_page 418 = @autogen_autoconfig;
        if ($arg_emailaddress) { return 418; }
        if ($autogen_domain = "") { return 404; }
        types { }
        default_type "text/xml; charset=utf-8";
        try_files /$autogen_domain/mail/config-v1.1.xml =404;
    }
    location = /.well-known/autoconfig/mail/config-v1.1.xml {
        error_page 418 = @autogen_autoconfig;
        if ($arg_emailaddress) { return 418; }
        if ($autogen_domain = "") { return 404; }
        types { }
        default_type "text/xml; charset=utf-8";
        try_files /$autogen_domain/.well-known/autoconfig/mail/config-v1.1.xml =404;
    }

    # Apple: the address-less profile of any domain, static; the per-user profile from the responder.
    location ~ ^/mobileconfig/(?<autogen_profile>[a-z0-9][a-z0-9.-]*)\.mobileconfig$ {
        types { }
        default_type application/x-apple-aspen-config;
        try_files /$autogen_profile/$autogen_profile.mobileconfig =404;
    }
    location = /mobileconfig { proxy_pass ${responderScheme}://autogen_responder; }
    location = /mobileconfig/ { proxy_pass ${responderScheme}://autogen_responder; }

    # Microsoft Autodiscover (POX and v2 JSON), any letter case.
    location ~* ^/autodiscover/ { proxy_pass ${responderScheme}://autogen_responder; }

    # The responder's health and metrics stay local (ask its own port).
    location = /health { deny all; }
    location = /metrics { deny all; }

    location @autogen_responder { proxy_pass ${responderScheme}://autogen_responder; }

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

# For https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml, add this to each domain's existing web-site
# server block (autogen does not claim the bare domain names):
#
#     location = /.well-known/autoconfig/mail/config-v1.1.xml {
#         error_page 418 = @autogen_responder;
#         if ($arg_emailaddress) { return 418; }
#         if ($autogen_domain = "") { return 404; }
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
