package dev.autogen.render;

import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.ConditionalTemplateConfigurationFactory;
import freemarker.cache.FileExtensionMatcher;
import freemarker.cache.OrMatcher;
import freemarker.cache.TemplateLoader;
import freemarker.core.TemplateConfiguration;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TimeZone;

/**
 * The FreeMarker setup shared by every template-based renderer. Templates come from the jar ({@code /templates},
 * a copy of the top-level {@code templates/} directory) unless an admin's directory overrides them file by file.
 * {@code .ftlx} templates auto-escape for XML ({@link XmlOutputFormat}), {@code .ftlh} (HTML) templates with the same
 * escaper; {@code .ftl} templates do not escape (zone files, server configs).
 * Thread-safe once built: FreeMarker's {@link Configuration} and {@link Template} are.
 */
public final class Templates {
    private final Configuration configuration;

    public Templates(Optional<Path> overrideDir) {
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
        TemplateLoader builtIn = new ClassTemplateLoader(Templates.class, "/templates");
        if (overrideDir.isPresent()) {
            try {
                cfg.setTemplateLoader(new MultiTemplateLoader(new TemplateLoader[] {
                        new FileTemplateLoader(overrideDir.get().toFile()), builtIn}));
            } catch (IOException e) {
                throw new UncheckedIOException("template directory " + overrideDir.get() + ": "
                        + dev.autogen.text.IoErrors.describe(e), e);
            }
        } else {
            cfg.setTemplateLoader(builtIn);
        }
        cfg.setDefaultEncoding("UTF-8");
        cfg.setOutputEncoding("UTF-8");
        // .ftlx: XML, auto-escaped by the project's shared escaper (which also replaces what XML 1.0 cannot carry).
        // FreeMarker's own .ftlx recognition would win over the template configuration below, so it is off.
        cfg.setRecognizeStandardFileExtensions(false);
        cfg.setRegisteredCustomOutputFormats(List.of(XmlOutputFormat.INSTANCE));
        TemplateConfiguration xml = new TemplateConfiguration();
        xml.setOutputFormat(XmlOutputFormat.INSTANCE);
        // .ftlh (the setup page): HTML, escaped by the same function. Its five entities are exactly what HTML text and
        // quoted attributes need, and U+FFFD for non-characters keeps the page free of HTML parse errors too.
        cfg.setTemplateConfigurations(new ConditionalTemplateConfigurationFactory(
                new OrMatcher(new FileExtensionMatcher("ftlx"), new FileExtensionMatcher("ftlh")), xml));
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        cfg.setFallbackOnNullLoopVariable(false);
        // Output must not depend on the machine: numbers like 993 never become "993.0" or "1,993".
        cfg.setLocale(Locale.ROOT);
        cfg.setNumberFormat("computer");
        cfg.setTimeZone(TimeZone.getTimeZone("UTC"));
        // Templates may be supplied by admins: they get no way to reach Java classes.
        cfg.setAPIBuiltinEnabled(false);
        cfg.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        this.configuration = cfg;
    }

    /** Renders template {@code name} (e.g. {@code autoconfig.ftlx}) with {@code model} (a Map or a record). */
    public String render(String name, Object model) {
        try {
            Template template = configuration.getTemplate(name);
            StringWriter out = new StringWriter(4096);
            template.process(model, out);
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("template " + name + ": " + dev.autogen.text.IoErrors.describe(e), e);
        } catch (TemplateException e) {
            throw new IllegalStateException("template " + name + ": " + e.getMessageWithoutStackTop(), e);
        }
    }
}
