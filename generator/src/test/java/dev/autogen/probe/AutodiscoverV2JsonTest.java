package dev.autogen.probe;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Autodiscover v2 answers read with Jackson's tree model, strictly. */
class AutodiscoverV2JsonTest {
    private static List<String> problems(String json) {
        return AutodiscoverRules.v2Json(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsWhatOutlookUses() {
        assertEquals(List.of(), problems(" {\"Protocol\":\"AutodiscoverV1\",\n \"Url\":\"https:\\/\\/autodiscover.example.com/autodiscover/autodiscover.xml\"} "));
        assertEquals(List.of(), problems("{\"Url\":\"https://a.example/x\",\"Protocol\":\"Autodiscover\\u0056\\u0031\",\"extra\":[1,{}]}"));
    }

    @Test
    void namesWhatIsWrong() {
        assertEquals(List.of("Url \"http://a.example/x\" is not an https:// URL"),
                problems("{\"Protocol\":\"AutodiscoverV1\",\"Url\":\"http://a.example/x\"}"));
        assertEquals(List.of("Protocol is \"ActiveSync\", expected \"AutodiscoverV1\"", "Url null is not an https:// URL"),
                problems("{\"Protocol\":\"ActiveSync\"}"));
        assertEquals(List.of("the answer is not a JSON object"), problems("[]"));
    }

    @Test
    void refusesWhatIsNotJson() {
        for (String bad : new String[] {"", "{\"a\":\"b\"} x", "{\"a\":\"b", "{a:1}", "{\"a\":\"\\q\"}",
                "{\"Protocol\":\"AutodiscoverV1\",\"Protocol\":\"x\"}"}) {
            List<String> problems = problems(bad);
            assertEquals(1, problems.size(), bad + " -> " + problems);
            assertTrue(problems.get(0).startsWith("not JSON: ") || problems.get(0).equals("the answer is not a JSON object"),
                    bad + " -> " + problems);
        }
    }
}
