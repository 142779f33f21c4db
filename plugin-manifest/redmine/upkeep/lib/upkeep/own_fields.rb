# Upkeep's own fields are written by Upkeep's core through the REST API (the `upkeep` command, and the
# pages through the plugin's relay), never by people on Redmine's forms: its key and state, which say
# which ticket is which occurrence and what Upkeep last wrote, and a change's ISMS impact, which only
# answering the change prompt sets. On every page that is not the REST API (the issue form, bulk edit,
# the context menu) Redmine offers none of them and ignores them when posted; the issue page does not
# show the key and the state (the journal keeps their history). The REST API is unchanged: what it
# allows is what Redmine's permissions allow, as for every field.
module Upkeep
  module OwnFields
    NOT_ON_FORMS = Upkeep::Setup::FIELD.values_at('key', 'state').push(Upkeep::Setup::IMPACT_FIELD).freeze
    NOT_SHOWN = Upkeep::Setup::FIELD.values_at('key', 'state').freeze

    # Whether this request is a page (set for each request by ApplicationController); outside a request
    # (rake, the console), nothing is held back.
    def self.page_request?
      RequestStore.store[:upkeep_page_request] == true
    end

    module IssueRestrictions
      def visible_custom_field_values(user = nil)
        values = super
        return values unless Upkeep::OwnFields.page_request?

        values.reject { |value| NOT_SHOWN.include?(value.custom_field.name) }
      end

      def editable_custom_field_values(user = nil)
        values = super
        return values unless Upkeep::OwnFields.page_request?

        values.reject { |value| NOT_ON_FORMS.include?(value.custom_field.name) }
      end
    end

    module RequestKind
      extend ActiveSupport::Concern
      included { prepend_before_action { RequestStore.store[:upkeep_page_request] = !api_request? } }
    end
  end
end

Issue.prepend(Upkeep::OwnFields::IssueRestrictions) unless Issue <= Upkeep::OwnFields::IssueRestrictions
ApplicationController.include(Upkeep::OwnFields::RequestKind) unless ApplicationController <= Upkeep::OwnFields::RequestKind
