package dev.gptoss4j.serve.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.backend.BackendException;
import dev.gptoss4j.agent.backend.Completion;
import dev.gptoss4j.agent.backend.CompletionRequest;
import dev.gptoss4j.agent.backend.MalformedCompletionException;
import dev.gptoss4j.agent.backend.ToolChoice;
import dev.gptoss4j.agent.tool.ApprovalPolicy;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.tool.ToolOutcome;
import dev.gptoss4j.agent.tool.ToolRunner;
import dev.gptoss4j.agent.tool.ToolScope;
import dev.gptoss4j.engine.harmony.Author;
import dev.gptoss4j.engine.harmony.Channel;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.serve.http.ApiException;
import dev.gptoss4j.serve.http.ClientGoneException;
import dev.gptoss4j.serve.http.HttpCall;
import dev.gptoss4j.serve.http.HttpHost;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/responses}. Calls to the built-in tools the request enabled run here, in a loop of model calls
 * as the agent runs them, and show up as output items; a call to a client function ends the response with a
 * {@code function_call} item for the client to answer in its next request.
 *
 * <p>A response is kept ({@code store}, default true) in the {@link ConversationStore}: a request naming it as
 * {@code previous_response_id} goes on with its messages and its tool scope (python variables and files, browser
 * history). Every other request starts with empty tools.
 */
public final class Responses implements HttpHost.Handler {

    private final ApiSettings settings;
    private final BackendPool pool;
    private final ConversationStore conversations;

    public Responses(ApiSettings settings, BackendPool pool, ConversationStore conversations) {
        this.settings = settings;
        this.pool = pool;
        this.conversations = conversations;
    }

    @Override
    public void handle(HttpCall call) {
        ObjectNode json = Fields.parseObject(call.body());
        String previous = Fields.optString(json, "previous_response_id", null);
        // the conversation's tool state (python variables, files, browser history) is seen by no other request
        try (ConversationStore.Turn turn = previous == null ? conversations.start() : conversations.resume(previous)) {
            ResponsesRequest request = ResponsesRequest.parse(json, settings, turn.history(), turn.callNames());
            respond(call, request, turn);
        }
    }

    private void respond(HttpCall call, ResponsesRequest request, ConversationStore.Turn turn) {
        try (BackendPool.Lease lease = pool.acquire()) {
            ResponseEvents events = new ResponseEvents(request.stream() ? call.startSse() : null);
            Ran ran;
            try {
                ran = run(request, lease.backend(), events, turn);
            } catch (ApiException e) {
                if (!request.stream()) throw e;
                events.emit(
                        "error",
                        ResponseEvents.node()
                                .put("code", e.code())
                                .put("message", e.getMessage())
                                .put("param", e.param()));
                return;
            }
            if (events.cancelled()) {
                if (request.stream()) throw new ClientGoneException(null);
                return;
            }
            if (!request.stream()) {
                lease.close(); // free for the next request before this answer reaches the client
                call.respondJson(200, ran.response().toString());
            }
        }
    }

    /** Keeps the conversation as it is now under the response's id, for a request that goes on from it. */
    private static void keep(ConversationStore.Turn turn, ResponsesRequest request, Ran ran) {
        List<Message> messages = ran.conversation().messages();
        Map<String, String> callNames = new HashMap<>(request.callNames());
        for (JsonNode item : ran.response().path("output")) {
            if (item.path("type").asText().equals("function_call")) {
                callNames.put(item.path("call_id").asText(), item.path("name").asText());
            }
        }
        turn.keep(ran.response().get("id").asText(), messages.subList(request.preamble(), messages.size()), callNames);
    }

    /** A response and the conversation it leaves (the request's, with the model's and tools' messages). */
    private record Ran(ObjectNode response, Conversation conversation) {}

    private Ran run(ResponsesRequest request, Backend backend, ResponseEvents events, ConversationStore.Turn turn) {
        ToolScope scope = turn.scope();
        ObjectNode response = envelope(request);
        events.emit("response.created", ResponseEvents.node().set("response", response.deepCopy()));
        events.emit("response.in_progress", ResponseEvents.node().set("response", response.deepCopy()));
        ResponseOutput output = new ResponseOutput(events, request.builtIns(), request.topLogprobs() >= 0);
        ToolRunner runner =
                new ToolRunner(request.builtIns(), ApprovalPolicy.allowAll(), settings.toolTimeout(), 20_000);
        Conversation conversation = request.conversation();
        long promptTokens = 0;
        long completionTokens = 0;
        String incomplete = null;
        int retries = 0;
        for (int step = 0; ; step++) {
            if (step >= settings.maxSteps()) {
                incomplete = "max_steps";
                break;
            }
            long budget = request.maxTokens() - completionTokens;
            if (budget <= 0) {
                incomplete = "max_output_tokens";
                break;
            }
            Completion completion;
            int itemsBefore = output.items.size();
            try {
                // tool_choice is about the response's first call; after a built-in's result the model answers freely
                ToolChoice choice = step == 0 ? request.toolChoice() : ToolChoice.AUTO;
                completion = backend.complete(
                        new CompletionRequest(
                                conversation,
                                (int) budget,
                                events::cancelled,
                                request.sampling(),
                                choice,
                                request.topLogprobs()),
                        output);
            } catch (MalformedCompletionException e) {
                // sampling again usually helps, but not once the broken output went to the client
                if (retries++ < settings.maxRetries() && output.items.size() == itemsBefore && !request.stream()) {
                    continue;
                }
                throw ChatCompletions.malformed(e);
            } catch (BackendException e) {
                throw ApiException.server("backend_error", e.getMessage());
            }
            promptTokens += completion.promptTokens();
            completionTokens += completion.completionTokens();
            conversation = conversation.append(completion.messages());
            if (completion.finish() == Completion.Finish.CANCELLED || events.cancelled()) {
                return new Ran(response, conversation);
            }
            if (completion.finish() == Completion.Finish.LENGTH) {
                output.finishCut();
                incomplete = "max_output_tokens";
                break;
            }
            Message last = completion.messages().isEmpty()
                    ? null
                    : completion.messages().getLast();
            Tool builtIn = last == null || last.recipient() == null
                    ? null
                    : request.builtIns().find(last.recipient());
            if (completion.finish() != Completion.Finish.CALL || builtIn == null) break;
            ToolOutcome outcome = runner.run(last.recipient(), last.text(), scope, events::cancelled);
            output.builtInFinished(outcome);
            conversation = conversation.append(Message.builder(Author.tool(builtIn.recipient()))
                    .recipient("assistant")
                    .channel(last.channel() != null ? last.channel() : Channel.COMMENTARY)
                    .text(outcome.text())
                    .build());
        }
        response.put("status", incomplete == null ? "completed" : "incomplete");
        if (incomplete != null) response.putObject("incomplete_details").put("reason", incomplete);
        response.set("output", output.items);
        ObjectNode usage = response.putObject("usage");
        usage.put("input_tokens", promptTokens);
        usage.putObject("input_tokens_details").put("cached_tokens", 0);
        usage.put("output_tokens", completionTokens);
        usage.putObject("output_tokens_details")
                .put("reasoning_tokens", Math.min(completionTokens, ContextWindow.count(output.reasoningText())));
        usage.put("total_tokens", promptTokens + completionTokens);
        // kept, and the turn ended, before the client hears of the response: it may continue from it at once (not
        // "busy"), and an unkept conversation's tool state is already freed when the answer arrives
        if (request.store() && !events.cancelled()) keep(turn, request, new Ran(response, conversation));
        turn.close();
        events.emit(
                incomplete == null ? "response.completed" : "response.incomplete",
                ResponseEvents.node().set("response", response));
        return new Ran(response, conversation);
    }

    private ObjectNode envelope(ResponsesRequest request) {
        ObjectNode r = Fields.JSON.createObjectNode();
        r.put("id", Ids.next("resp_"));
        r.put("object", "response");
        r.put("created_at", System.currentTimeMillis() / 1000);
        r.put("status", "in_progress");
        r.put("model", settings.modelId());
        r.putArray("output");
        r.putNull("error");
        r.putNull("incomplete_details");
        r.setAll(request.echo());
        r.put("parallel_tool_calls", false);
        r.putObject("reasoning").put("effort", request.effort().promptWord()).putNull("summary");
        if (request.maxOutputTokens() != null) r.put("max_output_tokens", request.maxOutputTokens());
        else r.putNull("max_output_tokens");
        // what the request asked for; gpt-oss's recommended 1 and 1 are the server's defaults
        Double temperature = request.sampling().temperature();
        Double topP = request.sampling().topP();
        r.put("temperature", temperature != null ? temperature : 1.0);
        r.put("top_p", topP != null ? topP : 1.0);
        r.put("store", request.store());
        r.putObject("metadata");
        r.putNull("usage");
        return r;
    }
}
