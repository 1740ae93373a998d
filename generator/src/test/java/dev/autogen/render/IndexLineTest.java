package dev.autogen.render;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IndexLineTest {
    private static IndexLine line(String autodiscoverUrl) {
        return new IndexLine("example.com", "example.com", "docs/a.xml", "docs/b.xml", Optional.empty(),
                "docs/c.plist", Optional.of("corp"), autodiscoverUrl, Optional.empty());
    }

    @Test
    void formatsNineColumnsWithDashForAbsent() {
        String text = line("https://autodiscover.example.com/autodiscover/autodiscover.xml").format();
        assertEquals("example.com\texample.com\tdocs/a.xml\tdocs/b.xml\t-\tdocs/c.plist\tcorp\t"
                + "https://autodiscover.example.com/autodiscover/autodiscover.xml\t-", text);
        assertEquals(IndexLine.parse(text), line("https://autodiscover.example.com/autodiscover/autodiscover.xml"));
    }

    @Test
    void refusesTabsControlCharactersAndEmptyColumns() {
        assertThrows(IllegalArgumentException.class, () -> line("https://a/\tb"));
        assertThrows(IllegalArgumentException.class, () -> line("https://a/\nb"));
        assertThrows(IllegalArgumentException.class, () -> line("https://a/ b"));
        assertThrows(IllegalArgumentException.class, () -> line(""));
        assertThrows(IllegalArgumentException.class, () -> line("-"));
        assertThrows(IllegalArgumentException.class, () -> IndexLine.parse("a\tb"));
    }
}
