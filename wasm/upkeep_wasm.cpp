// The WebAssembly boundary: the one file that knows the core runs as WebAssembly. Plain C exports, each
// coarse, JSON text in and JSON text out; problems come back as {"error": "..."}. web/core/load-core.js
// turns these into the raw calls and web/core/upkeep-core.js is the typed facade over them (it also turns
// an abort of the module into an error message). No embind: its JavaScript runtime alone weighed more
// than a tenth of the module's budget, for calls that only ever pass text.
//
// Strings cross as NUL-terminated UTF-8. An answer stays valid until the next call; JavaScript copies it
// at once.

#include <upkeep/json_api.hpp>

#include <emscripten/emscripten.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

std::string answer_;

const char* give(std::string text) {
    answer_ = std::move(text);
    return answer_.c_str();
}

std::string error(std::string_view what) {
    return R"({"error":")" + std::string(what) + R"("})";
}

// A session the page keeps between calls; JavaScript closes it when done.
class session {
public:
    virtual ~session() = default;
    virtual std::string call(std::string_view method, const char* argument, const char* more) = 0;
};

class sync_session final : public session {
public:
    explicit sync_session(const char* request) : sync_(request) {}
    std::string call(std::string_view method, const char* argument, const char* more) override {
        if (method == "step") return sync_.step();
        if (method == "answer") return sync_.answer(argument), "{}";
        if (method == "alreadyApplied")
            return sync_.already_applied(std::atoi(argument), more) ? "true" : "false";
        if (method == "status") return sync_.status(argument);
        if (method == "exportFile") return sync_.export_file(argument);
        return error("no such call of a sync session");
    }

private:
    upkeep::json_api::redmine_sync sync_;
};

class change_session final : public session {
public:
    explicit change_session(const char* request) : prompt_(request) {}
    std::string call(std::string_view method, const char* argument, const char*) override {
        if (method == "step") return prompt_.step();
        if (method == "answer") return prompt_.answer(argument), "{}";
        if (method == "reread") return prompt_.reread(), "{}";
        return error("no such call of a change session");
    }

private:
    upkeep::json_api::change_prompt prompt_;
};

std::vector<std::unique_ptr<session>> sessions_; // handle = index + 1; a closed slot is empty

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
    if (name == "controlTask") return give(api::control_task(argument, more));
    if (name == "configurationFromWiki") return give(api::configuration_from_wiki(argument));
    if (name == "configurationToWiki") return give(api::configuration_to_wiki(argument));
    return give(error("no such call"));
}

/// Opens a session ("sync" or "change") with its request; its handle, or 0 for an unknown kind.
EMSCRIPTEN_KEEPALIVE int upkeep_open(const char* kind, const char* request) {
    std::unique_ptr<session> made;
    if (std::string_view(kind) == "sync") made = std::make_unique<sync_session>(request);
    if (std::string_view(kind) == "change") made = std::make_unique<change_session>(request);
    if (!made) return 0;
    sessions_.push_back(std::move(made));
    return static_cast<int>(sessions_.size());
}

/// One call of an open session.
EMSCRIPTEN_KEEPALIVE const char* upkeep_session_call(int handle, const char* method, const char* argument,
                                                     const char* more) {
    if (handle < 1 || static_cast<std::size_t>(handle) > sessions_.size() || !sessions_[handle - 1])
        return give(error("the session is closed"));
    return give(sessions_[handle - 1]->call(method, argument, more));
}

EMSCRIPTEN_KEEPALIVE void upkeep_close(int handle) {
    if (handle >= 1 && static_cast<std::size_t>(handle) <= sessions_.size()) sessions_[handle - 1].reset();
    while (!sessions_.empty() && !sessions_.back())
        sessions_.pop_back();
}

} // extern "C"
