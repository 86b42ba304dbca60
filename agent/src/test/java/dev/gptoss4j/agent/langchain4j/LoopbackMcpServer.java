package dev.gptoss4j.agent.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal MCP server over streamable HTTP on 127.0.0.1, for tests: JSON-RPC {@code initialize},
 * {@code tools/list} and {@code tools/call} answered with plain JSON responses. Its tools: {@code add} (two
 * integers) and {@code fail} (always reports an error). It records every tool call it gets.
 */
final class LoopbackMcpServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final List<JsonNode> toolCalls = new CopyOnWriteArrayList<>();
    final List<String> methods = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    LoopbackMcpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/mcp", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/mcp";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            String method = request.path("method").asText();
            methods.add(method);
            if (!request.has("id")) { // a notification: accepted, nothing to answer
                exchange.sendResponseHeaders(202, -1);
                return;
            }
            ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
            response.set("id", request.get("id"));
            switch (method) {
                case "initialize" -> response.set("result", JSON.readTree("""
                        {"protocolVersion":"2025-06-18","capabilities":{"tools":{"listChanged":false}},
                         "serverInfo":{"name":"loopback-test","version":"1"}}"""));
                case "ping" -> response.putObject("result");
                case "tools/list" -> response.set("result", JSON.readTree("""
                        {"tools":[
                          {"name":"add","description":"Adds two integers.",
                           "inputSchema":{"type":"object","properties":{
                              "a":{"type":"integer","description":"first"},"b":{"type":"integer"}},
                              "required":["a","b"]}},
                          {"name":"fail","description":"Always fails.",
                           "inputSchema":{"type":"object","properties":{}}}]}"""));
                case "tools/call" -> {
                    JsonNode params = request.path("params");
                    toolCalls.add(params);
                    ObjectNode result = response.putObject("result");
                    if (params.path("name").asText().equals("add")) {
                        long sum = params.at("/arguments/a").asLong()
                                + params.at("/arguments/b").asLong();
                        result.putArray("content")
                                .addObject()
                                .put("type", "text")
                                .put("text", Long.toString(sum));
                        result.put("isError", false);
                    } else {
                        result.putArray("content")
                                .addObject()
                                .put("type", "text")
                                .put("text", "disk on fire");
                        result.put("isError", true);
                    }
                }
                default -> {
                    response.putObject("error").put("code", -32601).put("message", "no method " + method);
                }
            }
            byte[] body = JSON.writeValueAsBytes(response);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Mcp-Session-Id", "test-session");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
