package org.portcullis.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.portcullis.config.ConfigException;

/** Reads an oslo.policy file: a YAML or JSON map of rule name to check string. */
public final class PolicyFiles {
    private PolicyFiles() {}

    public static Map<String, String> read(Path file) {
        if (file == null) {
            return Map.of();
        }
        ObjectMapper mapper = file.toString().endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        JsonNode root;
        try {
            root = mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read policy file: " + e.getMessage(), e);
        }
        Map<String, String> rules = new LinkedHashMap<>();
        if (root == null || root.isNull()) {
            return rules;
        }
        if (!root.isObject()) {
            throw new ConfigException(file + ": a policy file maps rule names to check strings");
        }
        var fields = root.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            if (!e.getValue().isTextual()) {
                throw new ConfigException(file + ": rule '" + e.getKey() + "' must be a string");
            }
            rules.put(e.getKey(), e.getValue().textValue());
        }
        return rules;
    }
}
