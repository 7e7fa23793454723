//! `apotheca.Interactions`: each method converts its arguments, calls the facade with the GIL
//! released, and converts the result. No rule lives here.

use apotheca::Interactions;
use apotheca::interactions::ScreenRequest;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::conv::{arg, param, ret};

type Arg<'a, 'py> = &'a Bound<'py, PyAny>;

#[pyclass(name = "Interactions", module = "apotheca", frozen)]
pub struct PyInteractions(Interactions);

fn engine(r: apotheca::ApiResult<Interactions>) -> PyResult<PyInteractions> {
    r.map(PyInteractions).map_err(crate::error::to_py)
}

#[pymethods]
impl PyInteractions {
    #[doc = doc!(Interactions::new)]
    #[new]
    fn new(py: Python<'_>, knowledge_base: Arg<'_, '_>) -> PyResult<Self> {
        let kb = arg(knowledge_base)?;
        engine(py.detach(|| Interactions::new(kb)))
    }

    #[doc = doc!(Interactions::sample)]
    #[staticmethod]
    fn sample(py: Python<'_>) -> PyResult<Self> {
        engine(py.detach(Interactions::sample))
    }

    #[doc = doc!(Interactions::from_json)]
    #[staticmethod]
    fn from_json(py: Python<'_>, text: Arg<'_, '_>) -> PyResult<Self> {
        let t: String = param("text", text)?;
        engine(py.detach(|| Interactions::from_json(&t)))
    }

    #[doc = doc!(Interactions::load)]
    #[staticmethod]
    fn load(py: Python<'_>, sources: Arg<'_, '_>) -> PyResult<Self> {
        let s = arg(sources)?;
        engine(py.detach(|| Interactions::load(&s)))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let kb = ret(py, Ok(slf.get().0.knowledge_base()))?;
        PyTuple::new(
            py,
            [
                py.get_type::<Self>().into_any().unbind(),
                PyTuple::new(py, [kb])?.into_any().unbind(),
            ],
        )
    }

    #[doc = doc!(Interactions::knowledge_base)]
    fn knowledge_base(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        ret(py, Ok(self.0.knowledge_base()))
    }

    #[doc = doc!(Interactions::load_reports)]
    fn load_reports(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        ret(py, Ok(self.0.load_reports()))
    }

    #[doc = doc!(Interactions::stats)]
    fn stats(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        ret(py, Ok(self.0.stats()))
    }

    #[doc = doc!(Interactions::screen)]
    fn screen(&self, py: Python<'_>, request: Arg<'_, '_>) -> PyResult<Py<PyAny>> {
        let r = arg(request)?;
        ret(py, py.detach(|| self.0.screen(&r)))
    }

    #[doc = doc!(Interactions::screen_many)]
    fn screen_many(&self, py: Python<'_>, requests: Arg<'_, '_>) -> PyResult<Py<PyAny>> {
        let r: Vec<ScreenRequest> = arg(requests)?;
        ret(py, py.detach(|| self.0.screen_many(&r)))
    }

    #[doc = doc!(Interactions::explain)]
    fn explain(&self, py: Python<'_>, rule: Arg<'_, '_>) -> PyResult<Py<PyAny>> {
        let r: String = param("rule", rule)?;
        ret(py, self.0.explain(&r))
    }

    #[doc = doc!(Interactions::check_new)]
    fn check_new(&self, py: Python<'_>, request: Arg<'_, '_>) -> PyResult<Py<PyAny>> {
        let r = arg(request)?;
        ret(py, py.detach(|| self.0.check_new(&r)))
    }

    #[doc = doc!(Interactions::resolve)]
    #[pyo3(signature = (text, limit = None))]
    fn resolve(
        &self,
        py: Python<'_>,
        text: Arg<'_, '_>,
        limit: Option<Arg<'_, '_>>,
    ) -> PyResult<Py<PyAny>> {
        let t: String = param("text", text)?;
        let n: u32 = limit.map(|l| param("limit", l)).transpose()?.unwrap_or(5);
        ret(py, py.detach(|| self.0.resolve(&t, n)))
    }

    #[doc = doc!(Interactions::edge_list)]
    fn edge_list(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        ret(py, py.detach(|| self.0.edge_list()))
    }

    #[doc = doc!(Interactions::adjacency)]
    fn adjacency(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        ret(py, py.detach(|| self.0.adjacency()))
    }

    #[doc = doc!(Interactions::memberships)]
    fn memberships(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        ret(py, py.detach(|| self.0.memberships()))
    }

    #[doc = doc!(Interactions::predict_links)]
    #[pyo3(signature = (drug = None, limit = None))]
    fn predict_links(
        &self,
        py: Python<'_>,
        drug: Option<Arg<'_, '_>>,
        limit: Option<Arg<'_, '_>>,
    ) -> PyResult<Py<PyAny>> {
        let d: Option<String> = drug.map(|d| param("drug", d)).transpose()?;
        let n: u32 = limit.map(|l| param("limit", l)).transpose()?.unwrap_or(20);
        ret(py, py.detach(|| self.0.predict_links(d.as_deref(), n)))
    }
}
