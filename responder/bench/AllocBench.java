package dev.autogen.responder;

import java.lang.management.ManagementFactory;

/** Bytes allocated per Template.render of an autoconfig-like document with an address, a login and a name. */
public class AllocBench {
    public static void main(String[] args) {
        String doc = "<clientConfig><emailProvider id=\"{{domain}}\"><displayName>Example &amp; Co</displayName>"
                + "<incomingServer><username>{{login:%EMAILADDRESS%}}</username></incomingServer>"
                + "<outgoingServer><username>{{login:%EMAILLOCALPART%+%EMAILDOMAIN%}}</username></outgoingServer>"
                + "<name>{{name}}</name><address>{{address}}</address></emailProvider></clientConfig>";
        Template t = Template.parse(doc, Template.Context.XML);
        Template.Fill f = new Template.Fill("jane.doe@example.com", "jane.doe", "example.com", "example.com", null,
                "Jane <Doe>", null, null);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        int n = 200_000;
        for (int round = 0; round < 3; round++) {
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < n; i++) {
                Bytes out = new Bytes(t.literalLength + 256); // as Responder.fill does
                t.render(f, out);
                if (out.size() == 0) throw new AssertionError();
            }
            long after = mx.getThreadAllocatedBytes(tid);
            System.out.printf("round %d: %.1f bytes allocated per render (including the response buffer, %d bytes)%n",
                    round, (after - before) / (double) n, t.literalLength + 256);
        }
    }
}
