"""Agent front ends: tool calls checked against their schemas, and the MCP server and Gymnasium environment over them."""
