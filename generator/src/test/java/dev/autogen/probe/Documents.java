package dev.autogen.probe;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;

import java.nio.charset.StandardCharsets;

/** Crafted answers for the rule tests: a good one of each kind, and helpers to break them one rule at a time. */
final class Documents {
    private Documents() {}

    static final String ADDRESS = "alice@example.com";

    static final String AUTOCONFIG = """
            <?xml version="1.0" encoding="UTF-8"?>
            <clientConfig version="1.1">
              <emailProvider id="example.com">
                <domain>example.com</domain>
                <displayName>Example Mail</displayName>
                <incomingServer type="imap">
                  <hostname>imap.example.com</hostname>
                  <port>993</port>
                  <socketType>SSL</socketType>
                  <authentication>password-cleartext</authentication>
                  <username>%EMAILADDRESS%</username>
                </incomingServer>
                <outgoingServer type="smtp">
                  <hostname>smtp.example.com</hostname>
                  <port>465</port>
                  <socketType>SSL</socketType>
                  <authentication>password-cleartext</authentication>
                  <username>%EMAILLOCALPART%</username>
                </outgoingServer>
              </emailProvider>
            </clientConfig>
            """;

    static final String AUTODISCOVER = """
            <?xml version="1.0" encoding="utf-8"?>
            <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
              <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
                <Account>
                  <AccountType>email</AccountType>
                  <Action>settings</Action>
                  <Protocol>
                    <Type>IMAP</Type><Server>imap.example.com</Server><Port>993</Port>
                    <LoginName>alice@example.com</LoginName><DomainRequired>off</DomainRequired>
                    <SPA>off</SPA><SSL>on</SSL><Encryption>SSL</Encryption><AuthRequired>on</AuthRequired>
                  </Protocol>
                  <Protocol>
                    <Type>SMTP</Type><Server>smtp.example.com</Server><Port>587</Port>
                    <LoginName>alice@example.com</LoginName><DomainRequired>off</DomainRequired>
                    <SPA>off</SPA><SSL>on</SSL><Encryption>TLS</Encryption><AuthRequired>on</AuthRequired>
                    <UsePOPAuth>off</UsePOPAuth><SMTPLast>off</SMTPLast>
                  </Protocol>
                </Account>
              </Response>
            </Autodiscover>
            """;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A valid profile; {@code address} null gives the address-less variant. */
    static NSDictionary profile(String address) {
        NSDictionary mail = new NSDictionary();
        mail.put("PayloadType", "com.apple.mail.managed");
        mail.put("PayloadVersion", 1);
        mail.put("PayloadIdentifier", "com.example.mail.account");
        mail.put("PayloadUUID", "7B1C2F3A-1111-4222-8333-944455556666");
        mail.put("EmailAccountType", "EmailTypeIMAP");
        mail.put("IncomingMailServerHostName", "imap.example.com");
        mail.put("IncomingMailServerPortNumber", 993);
        mail.put("IncomingMailServerUseSSL", true);
        mail.put("IncomingMailServerAuthentication", "EmailAuthPassword");
        mail.put("OutgoingMailServerHostName", "smtp.example.com");
        mail.put("OutgoingMailServerPortNumber", 465);
        mail.put("OutgoingMailServerUseSSL", true);
        mail.put("OutgoingMailServerAuthentication", "EmailAuthPassword");
        if (address != null) {
            mail.put("EmailAddress", address);
            mail.put("IncomingMailServerUsername", address);
            mail.put("OutgoingMailServerUsername", address);
        }
        NSDictionary top = new NSDictionary();
        top.put("PayloadType", "Configuration");
        top.put("PayloadVersion", 1);
        top.put("PayloadIdentifier", "com.example.mail");
        top.put("PayloadUUID", "0A1B2C3D-1111-4222-8333-944455556666");
        top.put("PayloadDisplayName", "Example Mail");
        top.put("PayloadContent", new NSArray(mail));
        return top;
    }

    static NSDictionary mailPayload(NSDictionary profile) {
        return (NSDictionary) ((NSArray) profile.get("PayloadContent")).objectAtIndex(0);
    }

    static byte[] plist(NSDictionary d) {
        return bytes(d.toXMLPropertyList());
    }
}
