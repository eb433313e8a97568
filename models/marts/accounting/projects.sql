-- One row per Scoro project, deleted projects kept with hg_deleted = true.
with

projects as (
    select * from {{ ref('stg_scoro__projects') }}
),

project_custom_fields as (
    select * from {{ ref('stg_scoro__project_custom_fields') }}
),

custom_fields as (
    select * from {{ ref('stg_scoro__custom_fields') }}
),

named_custom_fields as (
    select
        project_custom_fields.tenant_id,
        project_custom_fields.project_id,
        project_custom_fields.id as custom_field_id,
        coalesce(project_custom_fields.name, custom_fields.name, project_custom_fields.id) as custom_field_name,
        project_custom_fields.value as custom_field_value
    from project_custom_fields
    left join custom_fields
        on
            project_custom_fields.tenant_id = custom_fields.tenant_id
            and project_custom_fields.id = custom_fields.id
),

custom_field_lists as (
    select
        tenant_id,
        project_id,
        {{ unified_list_agg(unified_struct({
            'name': 'custom_field_name',
            'value': 'custom_field_value',
        }), 'custom_field_id') }} as custom_fields
    from named_custom_fields
    group by tenant_id, project_id
),

final as (
    select
        cast(projects.project_id as {{ dbt.type_string() }}) as id,
        cast(projects.project_name as {{ dbt.type_string() }}) as name,
        cast(projects.budget_type as {{ dbt.type_string() }}) as type,
        cast(
            not projects.is_deleted
            and coalesce(lower(projects.status), '') not in ('completed', 'cancelled', 'closed')
            as {{ dbt.type_boolean() }}
        ) as active,
        cast(null as {{ dbt.type_string() }}) as "classId",
        {{ unified_iso_date('projects.deadline') }} as "endDate",
        cast(projects.status_name as {{ dbt.type_string() }}) as category,
        cast(null as {{ dbt.type_string() }}) as currency,
        cast(null as {{ dbt.type_string() }}) as location,
        cast(null as {{ dbt.type_string() }}) as "className",
        {{ unified_iso_timestamp('projects.created_date') }} as "createdAt",
        {{ unified_iso_date('projects.date') }} as "startDate",
        {{ unified_iso_timestamp('projects.modified_date') }} as "updatedAt",
        cast(projects.company_id as {{ dbt.type_string() }}) as "customerId",
        cast(projects.is_deleted as {{ dbt.type_boolean() }}) as hg_deleted,
        cast(null as {{ dbt.type_string() }}) as "locationId",
        cast(projects.description as {{ dbt.type_string() }}) as description,
        {{ unified_empty_list('custom_field_lists.custom_fields') }} as "customFields",
        cast(projects.company_name as {{ dbt.type_string() }}) as "customerName",
        cast(null as {{ dbt.type_string() }}) as "departmentId",
        cast(null as {{ dbt.type_string() }}) as "locationName",
        cast(projects.no as {{ dbt.type_string() }}) as "projectNumber",
        cast(null as {{ dbt.type_string() }}) as "departmentName",
        -- beyond the documented properties
        cast(projects.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(projects.status as {{ dbt.type_string() }}) as "scoroStatus",
        cast(projects.manager_id as {{ dbt.type_string() }}) as "ownerId"
    from projects
    left join custom_field_lists
        on
            projects.tenant_id = custom_field_lists.tenant_id
            and projects.project_id = custom_field_lists.project_id
)

select * from final
