get 'projects/:project_id/isms', to: 'upkeep_isms#show', as: 'project_upkeep_isms'
