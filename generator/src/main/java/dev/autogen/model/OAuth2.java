package dev.autogen.model;

/** OAuth2 settings as autoconfig announces them ({@code <oAuth2>}). */
public record OAuth2(String issuer, String scope, String authUrl, String tokenUrl) {}
