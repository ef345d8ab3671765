package dev.switchboard.emulators.sns;

import java.io.StringWriter;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes SNS's Query-protocol responses. The SDK reads the first child of {@code <XxxResponse>}, so the
 * {@code <XxxResult>} element comes before {@code <ResponseMetadata>}, as AWS sends it.
 */
final class SnsXml {
    static final String NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    private final XMLStreamWriter out;

    private SnsXml(XMLStreamWriter out) {
        this.out = out;
    }

    /** {@code <ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…</ResponseMetadata></…>}. */
    static String result(String action, Consumer<SnsXml> result) {
        return document(xml -> {
            xml.open(action + "Response", true);
            xml.open(action + "Result", false);
            result.accept(xml);
            xml.close();
            xml.open("ResponseMetadata", false);
            xml.text("RequestId", UUID.randomUUID().toString());
            xml.close();
            xml.close();
        });
    }

    /** AWS's error document: {@code <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>}. */
    static String error(SnsException e) {
        return document(xml -> {
            xml.open("ErrorResponse", true);
            xml.open("Error", false);
            xml.text("Type", e.faultType());
            xml.text("Code", e.code());
            xml.text("Message", e.getMessage());
            xml.close();
            xml.text("RequestId", UUID.randomUUID().toString());
            xml.close();
        });
    }

    SnsXml open(String name) {
        return open(name, false);
    }

    SnsXml text(String name, String value) {
        open(name);
        run(() -> out.writeCharacters(value));
        return close();
    }

    /** A map as the SDK reads it: {@code <name><entry><key/><value/></entry>…</name>}. */
    SnsXml entries(String name, Map<String, String> map) {
        open(name);
        map.forEach((key, value) -> {
            open("entry");
            text("key", key);
            text("value", value);
            close();
        });
        return close();
    }

    SnsXml close() {
        run(out::writeEndElement);
        return this;
    }

    private SnsXml open(String name, boolean withNamespace) {
        run(() -> {
            out.writeStartElement(name);
            if (withNamespace) {
                out.writeDefaultNamespace(NAMESPACE);
            }
        });
        return this;
    }

    private static String document(Consumer<SnsXml> body) {
        var buffer = new StringWriter();
        try {
            var writer = FACTORY.createXMLStreamWriter(buffer);
            writer.writeStartDocument("UTF-8", "1.0");
            body.accept(new SnsXml(writer));
            writer.writeEndDocument();
            writer.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing SNS response", e);
        }
        return buffer.toString();
    }

    private interface XmlStep {
        void run() throws XMLStreamException;
    }

    private static void run(XmlStep step) {
        try {
            step.run();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing SNS response", e);
        }
    }
}
