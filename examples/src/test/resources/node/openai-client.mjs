// The official `openai` npm client against `gptoss serve` (started by NodeClientTest with a scripted backend).
// Every check throws on failure; the last line tells the Java test that all of them ran.
import OpenAI from 'openai';
import assert from 'node:assert/strict';

const baseURL = process.env.GPTOSS_BASE_URL;
const model = 'gpt-oss-test';
const client = new OpenAI({ baseURL, apiKey: process.env.GPTOSS_API_KEY, maxRetries: 0 });
const weather = {
  type: 'function',
  function: {
    name: 'get_weather', description: 'The weather in a city now',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

// models
const models = await client.models.list();
assert.deepEqual(models.data.map((m) => m.id), [model]);

// chat, not streamed
const chat = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] });
assert.equal(chat.choices[0].message.content, 'Hello there!');
assert.equal(chat.choices[0].message.reasoning_content, 'The user greets.');
assert.equal(chat.choices[0].finish_reason, 'stop');
assert.equal(chat.usage.total_tokens, chat.usage.prompt_tokens + chat.usage.completion_tokens);

// chat, streamed, with usage
const stream = await client.chat.completions.create({
  model, messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true },
});
let text = '', reasoning = '', usage = null, finish = null, chunks = 0;
for await (const chunk of stream) {
  chunks++;
  if (chunk.usage) usage = chunk.usage;
  if (!chunk.choices.length) continue;
  text += chunk.choices[0].delta.content ?? '';
  reasoning += chunk.choices[0].delta.reasoning_content ?? '';
  finish = chunk.choices[0].finish_reason ?? finish;
}
assert.equal(text, 'Hello there!');
assert.equal(reasoning, 'The user greets.');
assert.equal(finish, 'stop');
assert.ok(chunks > 5, `streamed in ${chunks} chunks`);
assert.ok(usage.completion_tokens > 0);

// tool calls through the SDK's stream helper, which assembles the pieces itself
const toolRun = client.chat.completions.stream({ model, messages: [{ role: 'user', content: 'Weather?' }], tools: [weather] });
const withCall = await toolRun.finalChatCompletion();
const call = withCall.choices[0].message.tool_calls[0];
assert.equal(withCall.choices[0].finish_reason, 'tool_calls');
assert.equal(call.function.name, 'get_weather');
assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Oslo' });
const answered = await client.chat.completions.create({
  model, tools: [weather],
  messages: [
    { role: 'user', content: 'Weather?' },
    { role: 'assistant', content: null, tool_calls: [call] },
    { role: 'tool', tool_call_id: call.id, content: 'sunny' },
  ],
});
assert.equal(answered.choices[0].message.content, 'It is sunny in Oslo.');

// responses, not streamed: the SDK's output_text joins the message items
const response = await client.responses.create({ model, input: 'Hi', instructions: 'Be brief.' });
assert.equal(response.status, 'completed');
assert.equal(response.output_text, 'Hello there!');
assert.deepEqual(response.output.map((i) => i.type), ['reasoning', 'message']);

// responses, streamed through the SDK's helper, which checks every event against the snapshot it builds
const rstream = client.responses.stream({ model, input: 'Hi' });
let deltas = '';
rstream.on('response.output_text.delta', (e) => { deltas += e.delta; });
const final = await rstream.finalResponse();
assert.equal(deltas, 'Hello there!');
assert.equal(final.status, 'completed');
assert.equal(final.output.filter((i) => i.type === 'message').flatMap((i) => i.content).map((c) => c.text).join(''),
  'Hello there!');

// responses with a function call, answered in a second request
const fr = await client.responses.create({
  model, input: 'Weather?',
  tools: [{ type: 'function', name: 'get_weather', parameters: weather.function.parameters }],
});
const fc = fr.output.find((i) => i.type === 'function_call');
assert.equal(fc.name, 'get_weather');
const fr2 = await client.responses.create({
  model, tools: [{ type: 'function', name: 'get_weather', parameters: weather.function.parameters }],
  input: [{ role: 'user', content: 'Weather?' }, ...fr.output,
    { type: 'function_call_output', call_id: fc.call_id, output: 'sunny' }],
});
assert.equal(fr2.output_text, 'It is sunny in Oslo.');

// errors arrive as the SDK's typed errors
await assert.rejects(
  new OpenAI({ baseURL, apiKey: 'wrong', maxRetries: 0 }).models.list(),
  (e) => e instanceof OpenAI.AuthenticationError && e.status === 401);
await assert.rejects(
  client.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'Hi' }] }),
  (e) => e instanceof OpenAI.NotFoundError && e.code === 'model_not_found');
await assert.rejects(
  client.chat.completions.create({ model, messages: [] }),
  (e) => e instanceof OpenAI.BadRequestError && e.param === 'messages');

console.log('all checks passed');
