# Whether a version of the configuration page may be trusted: who saved it, and whether they may protect
# wiki pages in the project (lib/upkeep/configuration_page.rb says why). The core's sessions ask before
# they use a configuration read from the wiki (hosts/redmine/src/session.cpp); Redmine's REST API does not
# say who holds which permission. Anyone who may read the page may ask: its history shows as much.
class UpkeepConfigurationTrustController < ApplicationController
  accept_api_auth :show
  before_action :find_project_by_project_id

  def show
    page = @project.wiki&.find_page(Upkeep::Setup::CONFIG_PAGE)
    return render_404 unless page&.visible?

    # The version asked for, else the latest (read beside the page, as the pages and `upkeep` do).
    number = params[:version].present? ? params[:version].to_i : page.content&.version
    version = page.content&.versions&.find_by(version: number)
    return render_404 unless version

    author = version.author
    render json: { configuration_trust: {
      version: version.version,
      author: author && { id: author.id, name: author.name },
      trusted: Upkeep::ConfigurationPage.trusted_author?(author, @project),
      protected: page.protected?
    } }
  end
end
