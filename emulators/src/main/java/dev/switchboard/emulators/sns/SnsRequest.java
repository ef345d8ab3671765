package dev.switchboard.emulators.sns;

import io.helidon.common.parameters.Parameters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The form parameters of one Query-protocol request, with the list and map conventions the AWS SDK uses
 * ({@code Name.member.N}, {@code Name.entry.N.key}).
 */
final class SnsRequest {
    private final Parameters form;
    private final String prefix;

    SnsRequest(Parameters form) {
        this(form, "");
    }

    private SnsRequest(Parameters form, String prefix) {
        this.form = form;
        this.prefix = prefix;
    }

    String action() {
        return optional("Action").orElseThrow(() -> new SnsException("MissingAction", 400, "Missing Action"));
    }

    Optional<String> optional(String name) {
        return form.first(prefix + name).asOptional();
    }

    String required(String name) {
        return optional(name)
                .orElseThrow(() -> SnsException.invalidParameter(
                        "Invalid parameter: " + name + " Reason: no value for required parameter"));
    }

    /** The members of a list, {@code name.member.1}, {@code name.member.2}, …, each read as a request of its own. */
    List<SnsRequest> members(String name) {
        var members = new ArrayList<SnsRequest>();
        for (int i = 1; hasAnyUnder(name + ".member." + i + "."); i++) {
            members.add(new SnsRequest(form, prefix + name + ".member." + i + "."));
        }
        return members;
    }

    /** A map sent as {@code name.entry.N.<keyName>} / {@code name.entry.N.<valueName>}. */
    Map<String, String> entries(String name, String keyName, String valueName) {
        var map = new LinkedHashMap<String, String>();
        for (int i = 1; ; i++) {
            var entry = name + ".entry." + i + ".";
            var key = optional(entry + keyName);
            if (key.isEmpty()) {
                return map;
            }
            map.put(key.get(), optional(entry + valueName).orElse(""));
        }
    }

    /** Message attributes, {@code MessageAttributes.entry.N.Name} with {@code .Value.DataType} and a value. */
    Map<String, MessageAttribute> messageAttributes() {
        var attributes = new LinkedHashMap<String, MessageAttribute>();
        for (int i = 1; ; i++) {
            var entry = "MessageAttributes.entry." + i + ".";
            var name = optional(entry + "Name");
            if (name.isEmpty()) {
                return attributes;
            }
            var dataType = optional(entry + "Value.DataType")
                    .orElseThrow(() -> SnsException.invalidParameter("The message attribute '" + name.get()
                            + "' must contain non-empty message attribute type."));
            var value = optional(entry + "Value.StringValue")
                    .or(() -> optional(entry + "Value.BinaryValue"))
                    .orElseThrow(() -> SnsException.invalidParameter("The message attribute '" + name.get()
                            + "' must contain non-empty message attribute value."));
            attributes.put(name.get(), new MessageAttribute(dataType, value));
        }
    }

    private boolean hasAnyUnder(String name) {
        var full = prefix + name;
        return form.names().stream().anyMatch(n -> n.startsWith(full));
    }
}
