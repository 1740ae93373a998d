package dev.autogen.config;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserException;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parser a batch ahead on its own thread gives what snakeyaml's parser gives, and stops when closed. */
class PrefetchingParserTest {
    private static String bigList(int items) {
        StringBuilder yaml = new StringBuilder("list:\n");
        for (int i = 0; i < items; i++) yaml.append("  - item").append(i).append('\n');
        return yaml.toString();
    }

    private static Parser snakeyaml(String yaml) {
        return new ParserImpl(new StreamReader(yaml), new LoaderOptions());
    }

    private static List<String> events(Parser parser) {
        List<String> all = new ArrayList<>();
        for (Event e = parser.getEvent(); e != null; e = parser.getEvent()) {
            all.add(e + " " + e.getStartMark().getLine() + ":" + e.getStartMark().getColumn());
            if (e.is(Event.ID.StreamEnd)) break;
        }
        return all;
    }

    @Test
    void theSameEventsInTheSameOrderThenNothing() {
        String yaml = bigList(5_000); // five batches and a bit
        PrefetchingParser ahead = new PrefetchingParser(snakeyaml(yaml));
        assertTrue(ahead.checkEvent(Event.ID.StreamStart));
        assertEquals(events(snakeyaml(yaml)), events(ahead));
        assertNull(ahead.peekEvent());
        assertFalse(ahead.checkEvent(Event.ID.StreamEnd));
    }

    @Test
    void theParsersOwnExceptionAfterTheEventsBeforeIt() {
        String yaml = bigList(3_000) + "  - [unclosed\n"; // fails in the fourth batch
        int[] counts = new int[2];
        String[] messages = new String[2];
        Parser[] parsers = {snakeyaml(yaml), new PrefetchingParser(snakeyaml(yaml))};
        for (int i = 0; i < 2; i++) {
            int n = i;
            messages[i] = assertThrows(ParserException.class, () -> {
                while (parsers[n].getEvent() != null) counts[n]++;
            }).getMessage();
        }
        assertTrue(counts[0] > 3_000, "snakeyaml gave " + counts[0] + " events before failing");
        assertEquals(counts[0], counts[1]);
        assertEquals(messages[0], messages[1]);
    }

    @Test
    void closingStopsAThreadBlockedOnAFullQueue() throws Exception {
        PrefetchingParser ahead = new PrefetchingParser(snakeyaml(bigList(100_000)));
        ahead.getEvent();
        Thread.sleep(200); // the queue fills: 16 batches of 1,024 events are far fewer than 100,000
        assertEquals(1, parserThreads());
        ahead.close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (parserThreads() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(0, parserThreads(), "the parser's thread still runs after close()");
    }

    private static long parserThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("autogen-yaml-parser") && t.isAlive()).count();
    }
}
