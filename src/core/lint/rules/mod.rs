//! The rule registry: one line per rule. Each rule lives in `<category>/<rule>.rs` with its
//! documentation and examples.

mod docs {
    pub mod doc_contains_todo;
    pub mod doc_repeats_name;
    pub mod enum_without_doc;
    pub mod field_without_doc;
    pub mod fixed_without_doc;
    pub mod personal_field_without_classification;
    pub mod record_without_doc;
    pub mod schema_without_owner;
}
mod evolution {
    pub mod default_not_a_value;
    pub mod enum_without_default;
    pub mod field_without_default;
    pub mod null_not_first_in_optional_union;
    pub mod nullable_field_without_default;
    pub mod union_with_multiple_non_null_branches;
}
mod layout {
    pub mod duplicate_definition;
    pub mod file_name_mismatch;
    pub mod file_path_mismatch;
    pub mod nesting_too_deep;
    pub mod redundant_namespace;
    pub mod too_many_fields;
    pub mod top_level_schema_not_named;
    pub mod type_without_namespace;
    pub mod unused_named_type;
}
mod naming {
    pub mod duplicate_field_name_ignoring_case;
    pub mod enum_symbol_not_upper_snake_case;
    pub mod field_name_wrong_case;
    pub mod keyword_name;
    pub mod namespace_not_lower_case;
    pub mod type_name_not_pascal_case;
}
mod types {
    pub mod decimal_precision_over_38;
    pub mod field_sort_order_set;
    pub mod float_for_money;
    pub mod ignored_logical_type;
    pub mod language_specific_property;
    pub mod record_without_fields;
    pub mod time_without_logical_type;
    pub mod uuid_without_logical_type;
}

use super::Rule;

/// Every rule, in the order `schemapipe rules` lists them.
pub static ALL: &[&Rule] = &[
    // naming
    &naming::type_name_not_pascal_case::RULE,
    &naming::field_name_wrong_case::RULE,
    &naming::enum_symbol_not_upper_snake_case::RULE,
    &naming::namespace_not_lower_case::RULE,
    &naming::keyword_name::RULE,
    &naming::duplicate_field_name_ignoring_case::RULE,
    // docs
    &docs::record_without_doc::RULE,
    &docs::enum_without_doc::RULE,
    &docs::field_without_doc::RULE,
    &docs::fixed_without_doc::RULE,
    &docs::doc_repeats_name::RULE,
    &docs::doc_contains_todo::RULE,
    &docs::schema_without_owner::RULE,
    &docs::personal_field_without_classification::RULE,
    // evolution
    &evolution::nullable_field_without_default::RULE,
    &evolution::null_not_first_in_optional_union::RULE,
    &evolution::enum_without_default::RULE,
    &evolution::field_without_default::RULE,
    &evolution::union_with_multiple_non_null_branches::RULE,
    &evolution::default_not_a_value::RULE,
    // types
    &types::float_for_money::RULE,
    &types::time_without_logical_type::RULE,
    &types::ignored_logical_type::RULE,
    &types::decimal_precision_over_38::RULE,
    &types::record_without_fields::RULE,
    &types::uuid_without_logical_type::RULE,
    &types::language_specific_property::RULE,
    &types::field_sort_order_set::RULE,
    // layout
    &layout::file_path_mismatch::RULE,
    &layout::file_name_mismatch::RULE,
    &layout::top_level_schema_not_named::RULE,
    &layout::type_without_namespace::RULE,
    &layout::nesting_too_deep::RULE,
    &layout::unused_named_type::RULE,
    &layout::too_many_fields::RULE,
    &layout::redundant_namespace::RULE,
    &layout::duplicate_definition::RULE,
];

/// The rule with this code.
pub fn find(code: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.code == code)
}
