// The WebAssembly boundary: the one file that knows the core runs as WebAssembly. Plain C exports, each
// coarse, JSON text in and JSON text out; problems come back as {"error": "..."}. web/core/load-core.js
// turns these into the raw calls and web/core/upkeep-core.js is the typed facade over them (it also turns
// an abort of the module into an error message). No embind: its JavaScript runtime alone weighed more
// than a tenth of the module's budget, for calls that only ever pass text.
//
// Each module (wasm/CMakeLists.txt) has the core and one tracker, registered at start: all its sessions, or
// one part of them (UPKEEP_HOST_REGISTER).
// Strings cross as NUL-terminated UTF-8. An answer stays valid until the next call; JavaScript copies it
// at once.

#include <upkeep/json_api.hpp>

#include UPKEEP_HOST_HEADER

#include <emscripten/emscripten.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

const bool host_registered = (UPKEEP_HOST_REGISTER(), true);

std::string answer_;

const char* give(std::string text) {
    answer_ = std::move(text);
    return answer_.c_str();
}

std::string error(std::string_view what) {
    return R"({"error":")" + std::string(what) + R"("})";
}

std::vector<std::unique_ptr<upkeep::json_api::session>> sessions_; // handle = index + 1; closed: empty

} // namespace

extern "C" {

/// One call of the core: `function` with one or two JSON texts.
EMSCRIPTEN_KEEPALIVE const char* upkeep_call(const char* function, const char* argument, const char* more) {
    namespace api = upkeep::json_api;
    const std::string_view name = function;
    if (name == "version") return give(R"({"version":")" UPKEEP_VERSION R"("})");
    if (name == "expand") return give(api::expand(argument));
    if (name == "validate") return give(api::validate(argument));
    if (name == "calendar") return give(api::calendar(argument, more));
    return give(error("no such call"));
}

/// Opens a session of the module's host (json_api::session) with its request; its handle.
EMSCRIPTEN_KEEPALIVE int upkeep_open(const char* kind, const char* request) {
    (void)host_registered;
    sessions_.push_back(std::make_unique<upkeep::json_api::session>(kind, request));
    return static_cast<int>(sessions_.size());
}

/// One call of an open session: "next", "body" (an answer's body, staged for the "answer" that follows),
/// "answer" (the responses), "interrupt" (why the run stops, between two steps) or "call" (a method and
/// its request).
EMSCRIPTEN_KEEPALIVE const char* upkeep_session_call(int handle, const char* method, const char* argument,
                                                     const char* more) {
    if (handle < 1 || static_cast<std::size_t>(handle) > sessions_.size() || !sessions_[handle - 1])
        return give(error("the session is closed"));
    upkeep::json_api::session& session = *sessions_[handle - 1];
    const std::string_view name = method;
    if (name == "next") return give(session.next());
    if (name == "body") return session.stage_body(argument), give("{}");
    if (name == "answer") return session.answer(argument), give("{}");
    if (name == "interrupt") return session.interrupt(argument), give("{}");
    if (name == "call") return give(session.call(argument, more));
    return give(error("no such call of a session"));
}

EMSCRIPTEN_KEEPALIVE void upkeep_close(int handle) {
    if (handle >= 1 && static_cast<std::size_t>(handle) <= sessions_.size()) sessions_[handle - 1].reset();
    while (!sessions_.empty() && !sessions_.back())
        sessions_.pop_back();
}

} // extern "C"
