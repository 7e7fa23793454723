//! `InteractionError`: what is wrong with a knowledge base, a data file or a request, naming the
//! line, field and value.

/// Why the interaction engine refused its input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InteractionError {
    /// A knowledge base (JSON or CSV) that does not parse or does not validate.
    #[error("knowledge base: {0}")]
    InvalidKnowledgeBase(String),
    /// A medication name or id that resolves to no drug, where one is required.
    #[error("unknown drug {0:?}")]
    UnknownDrug(String),
    /// A request field out of range.
    #[error("{0}")]
    InvalidInput(String),
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, InteractionError>;

pub(crate) fn kb_error(msg: impl Into<String>) -> InteractionError {
    InteractionError::InvalidKnowledgeBase(msg.into())
}
