package dev.autogen.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * snakeyaml's composer, one subtree at a time: the caller walks the events of the big collections (the top level,
 * the providers list, a provider's domains list) itself and composes only their items into nodes, so a file of a
 * million domains is never one node tree. Composes exactly as {@code Yaml.compose} does (same tag resolution,
 * anchors and aliases across the whole document, the same alias and nesting limits and messages), with one
 * difference: a node's marks keep line and column but not snakeyaml's read buffer, which every mark of the
 * standard composer holds on to (that alone keeps the whole file in memory as code points while the tree lives).
 */
final class NodeStream implements AutoCloseable {
    private static final int[] NO_BUFFER = new int[0];

    private final PrefetchingParser parser;
    private final Resolver resolver = new Resolver();
    private final LoaderOptions options;
    private final Map<String, Node> anchors = new HashMap<>();
    private int nonScalarAliases;
    private int depth;

    NodeStream(Reader reader, LoaderOptions options) {
        this.parser = new PrefetchingParser(new ParserImpl(new StreamReader(reader), options));
        this.options = options;
    }

    /** Stops the parser's thread when the reader stops before the end of the file. */
    @Override
    public void close() {
        parser.close();
    }

    boolean at(Event.ID id) {
        return parser.checkEvent(id);
    }

    Event peek() {
        return parser.peekEvent();
    }

    Event next() {
        return parser.getEvent();
    }

    /**
     * True when the next event starts a collection of {@code id} that the caller may walk event by event instead
     * of composing it: no anchor (an alias could not refer to it) and no explicit tag.
     */
    boolean atPlainCollection(Event.ID id) {
        if (!parser.checkEvent(id)) {
            return false;
        }
        CollectionStartEvent e = (CollectionStartEvent) parser.peekEvent();
        return e.getAnchor() == null && e.getImplicit() && (e.getTag() == null || "!".equals(e.getTag()));
    }

    /** Starts the single document; false when the stream holds none (an empty file). */
    boolean startDocument() {
        parser.getEvent(); // StreamStart
        if (parser.checkEvent(Event.ID.StreamEnd)) {
            return false;
        }
        parser.getEvent(); // DocumentStart
        return true;
    }

    /** Ends the document and the stream, refusing a second document as {@code Composer.getSingleNode} does. */
    void endDocument() {
        parser.getEvent(); // DocumentEnd
        if (!parser.checkEvent(Event.ID.StreamEnd)) {
            Event e = parser.getEvent();
            throw new ComposeError("expected a single document in the stream", light(e.getStartMark()),
                    "but found another document", light(e.getStartMark()));
        }
        parser.getEvent();
    }

    /** The mapping or sequence the caller walks by events: a node without children, for positions and tags. */
    MappingNode startMapping() {
        MappingStartEvent e = (MappingStartEvent) parser.getEvent();
        enter();
        return new MappingNode(tag(NodeId.mapping, e.getTag(), e.getImplicit()), implicit(e.getTag()), new ArrayList<>(),
                light(e.getStartMark()), light(e.getEndMark()), e.getFlowStyle());
    }

    SequenceNode startSequence() {
        SequenceStartEvent e = (SequenceStartEvent) parser.getEvent();
        enter();
        return new SequenceNode(tag(NodeId.sequence, e.getTag(), e.getImplicit()), implicit(e.getTag()), new ArrayList<>(),
                light(e.getStartMark()), light(e.getEndMark()), e.getFlowStyle());
    }

    /** Consumes the end event of a collection begun with {@link #startMapping} or {@link #startSequence}. */
    void endCollection() {
        parser.getEvent();
        depth--;
    }

    /** Composes the next node with all its children. */
    Node compose() {
        if (parser.checkEvent(Event.ID.Alias)) {
            AliasEvent e = (AliasEvent) parser.getEvent();
            Node node = anchors.get(e.getAnchor());
            if (node == null) {
                throw new ComposeError(null, null, "found undefined alias " + e.getAnchor(),
                        light(e.getStartMark()));
            }
            if (!(node instanceof ScalarNode) && ++nonScalarAliases > options.getMaxAliasesForCollections()) {
                throw new YAMLException("Number of aliases for non-scalar nodes exceeds the specified max="
                        + options.getMaxAliasesForCollections());
            }
            return node;
        }
        String anchor = ((NodeEvent) parser.peekEvent()).getAnchor();
        enter();
        Node node;
        if (parser.checkEvent(Event.ID.Scalar)) {
            ScalarEvent e = (ScalarEvent) parser.getEvent();
            Tag tag = tag(NodeId.scalar, e.getTag(), e.getImplicit().canOmitTagInPlainScalar(), e.getValue(),
                    e.getStartMark());
            // One mark for start and end: nothing here reads the end of a scalar.
            Mark start = light(e.getStartMark());
            node = new ScalarNode(tag, implicit(e.getTag()), e.getValue(), start, start, e.getScalarStyle());
            remember(anchor, node);
        } else if (parser.checkEvent(Event.ID.SequenceStart)) {
            SequenceStartEvent e = (SequenceStartEvent) parser.getEvent();
            List<Node> children = new ArrayList<>();
            SequenceNode seq = new SequenceNode(tag(NodeId.sequence, e.getTag(), e.getImplicit(), null,
                    e.getStartMark()), implicit(e.getTag()), children, light(e.getStartMark()), null, e.getFlowStyle());
            remember(anchor, seq);
            while (!parser.checkEvent(Event.ID.SequenceEnd)) {
                children.add(compose());
            }
            seq.setEndMark(light(parser.getEvent().getEndMark()));
            node = seq;
        } else {
            MappingStartEvent e = (MappingStartEvent) parser.getEvent();
            List<NodeTuple> children = new ArrayList<>();
            MappingNode map = new MappingNode(tag(NodeId.mapping, e.getTag(), e.getImplicit(), null,
                    e.getStartMark()), implicit(e.getTag()), children, light(e.getStartMark()), null, e.getFlowStyle());
            remember(anchor, map);
            while (!parser.checkEvent(Event.ID.MappingEnd)) {
                Node key = compose();
                if (Tag.MERGE.equals(key.getTag())) {
                    map.setMerged(true);
                }
                children.add(new NodeTuple(key, compose()));
            }
            map.setEndMark(light(parser.getEvent().getEndMark()));
            node = map;
        }
        depth--;
        return node;
    }

    private void remember(String anchor, Node node) {
        if (anchor != null) {
            node.setAnchor(anchor);
            anchors.put(anchor, node);
        }
    }

    private void enter() {
        if (depth > options.getNestingDepthLimit()) {
            throw new YAMLException("Nesting Depth exceeded max " + options.getNestingDepthLimit());
        }
        depth++;
    }

    private static boolean implicit(String explicit) {
        return explicit == null || explicit.equals("!");
    }

    private Tag tag(NodeId id, String explicit, boolean implicit) {
        return tag(id, explicit, implicit, null, null);
    }

    private Tag tag(NodeId id, String explicit, boolean implicit, String value, Mark mark) {
        if (implicit(explicit)) {
            return resolver.resolve(id, value, implicit);
        }
        Tag t = new Tag(explicit);
        if (t.isCustomGlobal() && !options.getTagInspector().isGlobalTagAllowed(t)) {
            throw new ComposeError(null, null, "Global tag is not allowed: " + explicit, light(mark));
        }
        return t;
    }

    /** A mark without snakeyaml's read buffer: line and column are all the reader reports. */
    static Mark light(Mark m) {
        return m == null ? null : new Mark(m.getName(), m.getIndex(), m.getLine(), m.getColumn(), NO_BUFFER, 0);
    }

    /** What snakeyaml's {@code ComposerException} says, which it lets only its own composer construct. */
    private static final class ComposeError extends MarkedYAMLException {
        ComposeError(String context, Mark contextMark, String problem, Mark problemMark) {
            super(context, contextMark, problem, problemMark);
        }
    }
}
