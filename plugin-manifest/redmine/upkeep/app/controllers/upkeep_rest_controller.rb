# The page scripts' way to Redmine's REST API, on the logged-in user's session instead of their API key:
# the key never reaches the page, so what a script in the page can take is worth no more than the session.
# A request to /upkeep/rest/PATH.json is passed to Redmine's own REST API for PATH.json, in this process,
# as the session's user (with their key, which stays on the server), and its answer handed back as it came,
# but for the user's key, which Redmine's user documents show to their owner and which is taken out.
#
# Only for a logged-in session, only with its CSRF token (Redmine's csrf-token meta tag, sent in the
# X-CSRF-Token header, for reads too, so no other site can have a browser ask), only the REST resources
# Upkeep's core uses, and only what the user may do through Redmine's own pages anyway.
class UpkeepRestController < ApplicationController
  RESOURCES = %r{\A/(?:users|projects|issue_statuses|issues|relations|uploads|attachments)(?:/[^/]+)*\.json\z}.freeze
  PASSED_HEADERS = %w[Content-Type Retry-After].freeze

  skip_before_action :verify_authenticity_token # checked for every method, reads too
  skip_before_action :check_if_login_required   # a session is required always, and said in JSON
  before_action :require_session, :require_csrf_token

  def relay
    path = request.path.delete_prefix("#{request.script_name}/upkeep/rest")
    return render_relay_error(404, 'not a resource the page scripts use') unless RESOURCES.match?(path) && !path.include?('/../')
    return render_relay_error(403, 'the REST API is off: an administrator must enable it (Administration > Settings > API)') unless Setting.rest_api_enabled?

    status, headers, body = call_rest_api(path)
    text = +''
    body.each { |part| text << part }
    body.close if body.respond_to?(:close)
    text = without_api_key(text) if path.start_with?('/users')
    PASSED_HEADERS.each { |name| response.headers[name] = headers[name] if headers[name] }
    render body: text, status: status, content_type: headers['Content-Type'] || 'application/json'
  end

  private

  def require_session
    render_relay_error(401, 'not logged in (the session ended?): log in again and reload the page') unless User.current.logged?
  end

  def require_csrf_token
    render_relay_error(422, 'no valid CSRF token: reload the page') unless any_authenticity_token_valid?
  end

  def render_relay_error(status, message)
    render json: { errors: [message] }, status: status
  end

  # Redmine's REST API, called in this process as the session's user.
  def call_rest_api(path)
    user = User.current
    query = request.query_string.presence
    env = Rack::MockRequest.env_for(
      query ? "#{path}?#{query}" : path,
      method: request.request_method, input: request.raw_post.to_s, 'HTTP_ACCEPT' => 'application/json',
      'HTTP_X_REDMINE_API_KEY' => user.api_key, 'REMOTE_ADDR' => request.remote_ip,
      'HTTP_HOST' => request.host_with_port, 'rack.url_scheme' => request.scheme
    )
    env['CONTENT_TYPE'] = request.content_type if request.content_type.present?
    env['SCRIPT_NAME'] = request.script_name
    Rails.application.call(env)
  ensure
    User.current = user # the inner request ends by clearing the request's store
  end

  def without_api_key(text)
    document = JSON.parse(text)
    scrub = lambda do |value|
      case value
      when Hash then value.except('api_key').transform_values(&scrub)
      when Array then value.map(&scrub)
      else value
      end
    end
    scrub.call(document).to_json
  rescue JSON::ParserError
    text
  end
end
