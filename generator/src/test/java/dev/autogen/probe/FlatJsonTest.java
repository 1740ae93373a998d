package dev.autogen.probe;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FlatJsonTest {
    @Test
    void readsAutodiscoverV2Answers() {
        assertEquals(Map.of("Protocol", "AutodiscoverV1", "Url", "https://autodiscover.example.com/autodiscover/autodiscover.xml"),
                FlatJson.parseObject(" {\"Protocol\":\"AutodiscoverV1\",\n \"Url\":\"https:\\/\\/autodiscover.example.com/autodiscover/autodiscover.xml\"} "));
        assertEquals(Map.of("ErrorMessage", "bad 'x\"' \u00e9\n", "n", "1"),
                FlatJson.parseObject("{\"ErrorMessage\":\"bad 'x\\\"' \\u00e9\\n\",\"n\":1}"));
        assertEquals(Map.of(), FlatJson.parseObject("{}"));
    }

    @Test
    void refusesWhatIsNotAFlatObject() {
        for (String bad : new String[] {"", "[]", "{\"a\":{}}", "{\"a\":\"b\"} x", "{\"a\":\"b", "{a:1}", "{\"a\":\"\\q\"}"}) {
            assertThrows(ProbeException.class, () -> FlatJson.parseObject(bad), bad);
        }
    }
}
