package dev.autogen.render;

import dev.autogen.text.Escape;
import freemarker.core.CommonMarkupOutputFormat;
import freemarker.core.CommonTemplateMarkupOutputModel;

import java.io.IOException;
import java.io.Writer;

/**
 * FreeMarker's XML output format with the project's one XML escaper ({@link Escape#xml}): the same entities as
 * FreeMarker's own, and also characters XML 1.0 cannot carry (say from a database value) as U+FFFD instead of an
 * ill-formed document. Used for every {@code .ftlx} template.
 */
final class XmlOutputFormat extends CommonMarkupOutputFormat<XmlOutputFormat.Markup> {
    static final XmlOutputFormat INSTANCE = new XmlOutputFormat();

    private XmlOutputFormat() {}

    @Override public String getName() { return "autogenXML"; }

    @Override public String getMimeType() { return "application/xml"; }

    @Override public void output(String textToEsc, Writer out) throws IOException { out.write(Escape.xml(textToEsc)); }

    @Override public String escapePlainText(String plainTextContent) { return Escape.xml(plainTextContent); }

    @Override public boolean isLegacyBuiltInBypassed(String builtInName) {
        return builtInName.equals("xml") || builtInName.equals("xhtml") || builtInName.equals("html");
    }

    @Override protected Markup newTemplateMarkupOutputModel(String plainTextContent, String markupContent) {
        return new Markup(plainTextContent, markupContent);
    }

    static final class Markup extends CommonTemplateMarkupOutputModel<Markup> {
        Markup(String plainTextContent, String markupContent) {
            super(plainTextContent, markupContent);
        }

        @Override public XmlOutputFormat getOutputFormat() { return INSTANCE; }
    }
}
